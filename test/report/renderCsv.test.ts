import assert from "node:assert/strict";
import { test } from "node:test";
import { CSV_COLUMNS, renderCsv } from "../../src/report/renderCsv.ts";
import type { ModelResult } from "../../src/results/types.ts";
import { buildRun } from "../helpers/resultsBuilder.ts";
import { fixtureRuns } from "./reportFixtures.ts";

/** A small RFC 4180 reader, independent of the writer under test. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else field += ch;
  }
  return rows;
}

test("tidy long rows: one per case × stage × measurement, raw units", () => {
  const runs = fixtureRuns();
  const rows = parseCsv(renderCsv(runs));
  const [header, ...data] = rows;
  assert.deepEqual(header, [...CSV_COLUMNS]);
  for (const row of data) assert.equal(row.length, CSV_COLUMNS.length);
  const col = (name: (typeof CSV_COLUMNS)[number]) => CSV_COLUMNS.indexOf(name);
  const llama = runs[0]?.models[0];
  assert.ok(llama?.inference);
  // 8 samples (2 warm-up) × 6 metrics for the inference stage of the first case.
  const samples = data.filter(
    (r) =>
      r[col("case_id")] === llama.caseId &&
      r[col("run_id")] === runs[0]?.runId &&
      r[col("stage")] === "inference" &&
      r[col("prompt_id")] !== "" &&
      r[col("statistic")] === "value",
  );
  assert.equal(samples.length, llama.inference.samples.length * 6);
  const warmup = samples.filter((r) => r[col("run")] === "-1");
  assert.equal(warmup.length, 2 * 6);
  const mean = data.find(
    (r) =>
      r[col("case_id")] === llama.caseId &&
      r[col("run_id")] === runs[0]?.runId &&
      r[col("metric")] === "generation_tokens_per_second" &&
      r[col("statistic")] === "mean",
  );
  assert.equal(Number(mean?.[col("value")]), llama.inference.summaries.generationTokensPerSecond.mean);
  assert.equal(mean?.[col("unit")], "tokens/s");
  // The runs behind the figures (this file predates --runs auto: counted from the samples, no reason).
  const runsRow = data.find((r) => r[col("case_id")] === llama.caseId && r[col("metric")] === "runs_per_prompt");
  assert.deepEqual([runsRow?.[col("value")], runsRow?.[col("unit")]], ["3", "runs"]);
  const ctx = data.find(
    (r) =>
      r[col("case_id")] === llama.caseId &&
      r[col("stage")] === "contexts" &&
      r[col("context_size")] === "8192" &&
      r[col("metric")] === "peak_rss_bytes",
  );
  const okContext = llama.contexts[4];
  assert.ok(okContext?.status === "ok");
  assert.equal(Number(ctx?.[col("value")]), okContext.peakRssBytes);
  assert.ok(data.some((r) => r[col("stage")] === "contexts" && r[col("value")] === "error: context-alloc-failed"));
  assert.ok(data.some((r) => r[col("stage")] === "process" && r[col("value")] === "crash"));
  // Synthetic cases say so on every row.
  const moeRows = data.filter((r) => r[col("case_id")] === "synthetic-moe-4x-q8_0#1");
  assert.ok(moeRows.length > 0 && moeRows.every((r) => r[col("synthetic")] === "true"));
  // Memory fit for the crashed model does not exist: no analysis rows for it.
  assert.ok(!data.some((r) => r[col("case_id")]?.startsWith("gemma") && r[col("metric")] === "memory_fit_r2"));
});

test("untrusted labels stay one field", () => {
  const rows = parseCsv(renderCsv(fixtureRuns()));
  const evil = rows.filter((r) => r[1] === "evil-model<i>&x</i>.gguf#1");
  assert.ok(evil.length > 0);
  for (const row of evil) assert.equal(row.length, CSV_COLUMNS.length);
});

test("settings and other processes' CPU share per stage, with the busy-machine warning, in the same long rows", () => {
  const run = buildRun({
    models: [
      { label: "local.gguf", settings: { threads: 1, flashAttention: true, kvCacheType: "q8_0", mmap: false } },
      { label: "remote.gguf", settings: { engine: "openai" } },
    ],
  });
  const local = run.models[0] as ModelResult;
  local.otherCpu = [
    { stage: "load", detail: "", wallMs: 300, otherCpuFraction: 0.02, unmeasuredReason: null },
    { stage: "inference", detail: "1 prompts", wallMs: 900, otherCpuFraction: 0.45, unmeasuredReason: null },
    { stage: "contexts", detail: "512 tokens", wallMs: 50, otherCpuFraction: null, unmeasuredReason: "too short" },
  ];
  const [header, ...data] = parseCsv(renderCsv([run]));
  assert.deepEqual(header, [...CSV_COLUMNS]);
  for (const row of data) assert.equal(row.length, CSV_COLUMNS.length);
  const col = (name: (typeof CSV_COLUMNS)[number]) => CSV_COLUMNS.indexOf(name);
  const pick = (caseId: string, stage: string, ...names: (typeof CSV_COLUMNS)[number][]) =>
    data
      .filter((r) => r[col("case_id")] === caseId && r[col("stage")] === stage)
      .map((r) => names.map((n) => r[col(n)]));

  assert.deepEqual(pick("local.gguf#1", "settings", "metric", "statistic", "value", "unit"), [
    ["engine", "value", "node-llama-cpp", ""],
    ["threads", "value", "1", "threads"],
    ["batch_size", "value", "512", "tokens"],
    ["ubatch_size", "value", "512", "tokens"],
    ["flash_attention", "value", "true", ""],
    ["kv_cache_type", "value", "q8_0", ""],
    ["mmap", "value", "false", ""],
    ["gpu_layers", "value", "0", "layers"],
    ["page_cache", "value", "unknown", ""],
    ["max_tokens", "value", "64", "tokens"],
    ["warmup_runs", "value", "1", "runs"],
  ]);
  // The engine is a setting now, not a process row.
  assert.ok(!data.some((r) => r[col("stage")] === "process" && r[col("metric")] === "engine"));

  // An outside server applied none of the load settings: empty, with the reason; the engine and run settings hold.
  const remote = pick("remote.gguf#2", "settings", "metric", "statistic", "value");
  assert.deepEqual(
    remote.find((r) => r[0] === "engine"),
    ["engine", "value", "openai"],
  );
  assert.deepEqual(
    remote.find((r) => r[0] === "threads" && r[1] === "value"),
    ["threads", "value", ""],
  );
  const why = remote.find((r) => r[0] === "threads" && r[1] === "not_measured");
  assert.match(why?.[2] ?? "", /^the endpoint's own settings apply/);
  assert.equal(remote.filter((r) => r[1] === "not_measured").length, 8);

  const cpu = data
    .filter((r) => r[col("case_id")] === "local.gguf#1" && (r[col("metric")] ?? "").startsWith("other_cpu"))
    .map((r) => [r[col("stage")], r[col("stage_detail")], r[col("metric")], r[col("statistic")], r[col("value")]]);
  assert.deepEqual(cpu, [
    ["load", "", "other_cpu_wall_ms", "value", "300"],
    ["load", "", "other_cpu_fraction", "value", "0.02"],
    ["inference", "1 prompts", "other_cpu_wall_ms", "value", "900"],
    ["inference", "1 prompts", "other_cpu_fraction", "value", "0.45"],
    [
      "inference",
      "1 prompts",
      "other_cpu_fraction",
      "warning",
      "busy-machine: other processes used 45% of the cores (above 10%); this stage's figures are not this machine's real speed",
    ],
    ["contexts", "512 tokens", "other_cpu_wall_ms", "value", "50"],
    ["contexts", "512 tokens", "other_cpu_fraction", "value", ""],
    ["contexts", "512 tokens", "other_cpu_fraction", "not_measured", "too short"],
  ]);
  // Files before 2026-11-30 have no otherCpu: no rows, and every other row's stage_detail is empty.
  assert.ok(
    !data.some((r) => r[col("case_id")] === "remote.gguf#2" && (r[col("metric")] ?? "").startsWith("other_cpu")),
  );
  assert.ok(data.every((r) => (r[col("metric")] ?? "").startsWith("other_cpu") || r[col("stage_detail")] === ""));
});
