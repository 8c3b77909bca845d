import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { modelFingerprint } from "../../src/gguf/fingerprint.ts";
import { synthesizeModel } from "../../src/gguf/synthesize.ts";
import { formatMiBOrKiB } from "../../src/report/formatValue.ts";
import { openStore } from "../../src/store/resultStore.ts";
import { parseWhatIf, whatIfLabel } from "../../src/whatif/parseWhatIf.ts";
import { runCli } from "../gguf/runCli.ts";
import { copyWithoutKeys, withTensorTypeId } from "../helpers/craftedModels.ts";
import { buildRun, okContext } from "../helpers/resultsBuilder.ts";
import { tinyModel } from "../helpers/tinyModel.ts";

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "gguf-bench-estimate-"));
});
after(() => rm(dir, { recursive: true, force: true }));

test("estimate --json: one estimate per context, each fitting this machine, no history", async () => {
  const model = await tinyModel(dir, "fresh.gguf");
  const run = await runCli(["estimate", model, "--contexts", "512,1000,4096", "--json", "--no-db"]);
  assert.equal(run.code, 0, run.stderr);
  const report = JSON.parse(run.stdout);
  assert.deepEqual(
    report.estimates.map((e: { contextSize: number; kvCells: number }) => [e.contextSize, e.kvCells]),
    [
      [512, 512],
      [1000, 1024],
      [4096, 4096],
    ],
  );
  for (const e of report.estimates) assert.equal(e.fit, "fits");
  // trained for 2048 tokens
  assert.deepEqual(
    report.estimates.map((e: { beyondTrainingContext: boolean }) => e.beyondTrainingContext),
    [false, false, true],
  );
  assert.equal(report.measured, null);
  assert.match(report.machine.runtimeBaselineSource, /no history/);
});

test("estimate shows the earlier measurement of the same model beside the prediction", async () => {
  const model = await tinyModel(dir, "measured.gguf");
  const db = join(dir, "history.db");
  const fingerprint = await modelFingerprint(model);
  const past = buildRun({
    models: [{ label: "measured.gguf", fingerprint, contexts: [okContext(512, 500), okContext(1024, 450)] }],
  });
  const store = await openStore(db);
  await store.beginRun(past);
  for (const result of past.models) await store.saveModel(past.runId, result);
  await store.finishRun(past.runId, past.finishedAt ?? past.startedAt, false);
  await store.close();

  const json = await runCli(["estimate", model, "--db", db, "--json"]);
  assert.equal(json.code, 0, json.stderr);
  const report = JSON.parse(json.stdout);
  assert.equal(report.measured.runId, past.runId);
  assert.deepEqual(
    report.measured.rows.map((r: { contextSize: number; measuredPeakRssBytes: number }) => [
      r.contextSize,
      r.measuredPeakRssBytes,
    ]),
    [
      [512, 46e6 + 512_000],
      [1024, 46e6 + 1_024_000],
    ],
  );
  assert.match(report.machine.runtimeBaselineSource, /median before-load RSS of 1 measured case/);

  const text = await runCli(["estimate", model, "--db", db]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, new RegExp(`Measured before: run ${past.runId.slice(0, 8)}`));
  assert.match(text.stdout, /Measured peak RSS/);
});

test("the text output explains every column under the table and prints sizes below 1 MiB in KiB", async () => {
  const model = await tinyModel(dir, "columns.gguf");
  const text = await runCli(["estimate", model, "--contexts", "512,4096", "--no-db"]);
  assert.equal(text.code, 0, text.stderr);
  const header =
    /│ (Context) +│ (Weights) +│ (KV cache) +│ (Compute) +│ (Runtime \+ overhead) +│ (Total \(peak RSS\)) +│ (Fits) +│/
      .exec(text.stdout)
      ?.slice(1);
  assert.ok(header, text.stdout);
  const notes = text.stdout.slice(text.stdout.lastIndexOf("┘") + 1);
  for (const column of header) {
    assert.match(notes, new RegExp(`(^|\\. )${column.replace(/[()+]/g, "\\$&")}: `, "m"));
  }
  assert.match(notes, /reserved = sized at load/);
  assert.match(notes, /\(\+ up to N MiB glibc\): freed work buffers under 32 MiB/);
  // The tiny model's KV cache at 512 cells is 2 layers × 4 KV heads × 8 × 2 (K and V) × 2 bytes × 512 = 128 KiB.
  assert.match(text.stdout, /│ 128\.0 KiB +│/);
  assert.doesNotMatch(text.stdout, /\b0\.0 MiB/);
});

test("formatMiBOrKiB: MiB from 1 MiB up, KiB below", () => {
  assert.equal(formatMiBOrKiB(43_520), "42.5 KiB");
  assert.equal(formatMiBOrKiB(1024 * 1024), "1.0 MiB");
  assert.equal(formatMiBOrKiB(1_004_544), "981.0 KiB");
  assert.equal(formatMiBOrKiB(0), "0.0 KiB");
  assert.equal(formatMiBOrKiB(20 * 1024 ** 3), "20,480.0 MiB");
});

test("estimate --what-if gives the estimate of the file run --what-if would synthesise, without writing it", async () => {
  for (const spec of ["deepseek2:tiny:q4_k_m", "gemma3:tiny:q4_0"]) {
    const parsed = parseWhatIf(spec);
    const { path } = await synthesizeModel({ ...parsed, out: join(dir, `${spec}.gguf`), name: whatIfLabel(parsed) });
    const args = ["--contexts", "512,4096", "--json", "--no-db"];
    const [fromFile, fromSpec] = await Promise.all([
      runCli(["estimate", path, ...args]),
      runCli(["estimate", "--what-if", spec, ...args]),
    ]);
    assert.equal(fromFile.code, 0, fromFile.stderr);
    assert.equal(fromSpec.code, 0, fromSpec.stderr);
    const file = JSON.parse(fromFile.stdout);
    const whatIf = JSON.parse(fromSpec.stdout);
    assert.equal(whatIf.file, whatIfLabel(parsed));
    // Same header bytes and size: the history of a `run --what-if` of this shape is found by its fingerprint.
    assert.equal(whatIf.fileFingerprint, file.fileFingerprint);
    assert.deepEqual(whatIf.info, file.info);
    assert.deepEqual(whatIf.estimates, file.estimates);
  }
  const text = await runCli(["estimate", "--what-if", "deepseek2:tiny:q4_k_m", "--no-db"]);
  assert.match(text.stdout, /^Memory estimate for what-if deepseek2 tiny q4_k_m\n/);
  const both = await runCli(["estimate", join(dir, "x.gguf"), "--what-if", "llama:tiny:q4_0", "--no-db"]);
  const neither = await runCli(["estimate", "--no-db"]);
  const seed = await runCli(["estimate", "--what-if", "seed", "--no-db"]);
  const bad = await runCli(["estimate", "--what-if", "llama:nope:q4_0", "--no-db"]);
  for (const run of [both, neither, seed, bad]) {
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /^gguf-bench: .*\n$/);
  }
  assert.match(bad.stderr, /unknown preset 'nope'/);
  // A spec given as the file: pointed at --what-if in one line.
  const asFile = await runCli(["estimate", "gemma3:gemma-3-4b:q4_k_m", "--no-db"]);
  assert.equal(asFile.code, 2, asFile.stderr);
  assert.equal(
    asFile.stderr,
    "gguf-bench: no file named gemma3:gemma-3-4b:q4_k_m; to estimate that synthetic shape, give --what-if gemma3:gemma-3-4b:q4_k_m\n",
  );
});

test("a total above the available memory is marked and explained; the fit is judged on what must stay", async () => {
  // qwen3-30b-a3b Q4_K_M: ~31 GiB if every page stayed, ~18 GiB must stay (its repacked weights' file pages are load-only).
  const args = ["estimate", "--what-if", "qwen3moe:qwen3-30b-a3b:q4_k_m", "--contexts", "4096", "--no-db"];
  const run = await runCli([...args, "--json"]);
  assert.equal(run.code, 0, run.stderr);
  const report = JSON.parse(run.stdout);
  const [e] = report.estimates;
  assert.ok(e.totalBytes > e.requiredBytes);
  const text = await runCli(args);
  if (e.totalBytes > report.machine.availableBytes) {
    assert.match(text.stdout, /\(above available\)/);
    assert.match(
      text.stdout,
      /\(above available\): the total exceeds available memory; the kernel drops mapped pages first/,
    );
  } else {
    assert.doesNotMatch(text.stdout, /\(above available\)/);
  }
});

test("the settings line says the micro-batch assumed: batch + 1 for a sliding-window model, capped at the context", async () => {
  const swa = await runCli(["estimate", "--what-if", "gemma3:tiny:q4_0", "--contexts", "1024", "--no-db"]);
  assert.equal(swa.code, 0, swa.stderr);
  assert.match(swa.stdout, /batch 512, micro-batch \(n_ubatch\) 513 \(batch \+ 1: node-llama-cpp's rule/);
  // Both reasons in one bracket when the context caps a sliding-window model's micro-batch too.
  const both = await runCli(["estimate", "--what-if", "gemma3:tiny:q4_0", "--contexts", "256,1024", "--no-db"]);
  assert.match(
    both.stdout,
    /micro-batch \(n_ubatch\) 256–513 \(capped at the context; batch \+ 1: node-llama-cpp's rule for sliding-window models\),/,
  );
  const json = await runCli(["estimate", "--what-if", "gemma3:tiny:q4_0", "--contexts", "1024", "--no-db", "--json"]);
  assert.equal(JSON.parse(json.stdout).estimates[0].ubatch, 513);
  const dense = await runCli(["estimate", await tinyModel(dir, "ubatch.gguf"), "--contexts", "256,1024", "--no-db"]);
  assert.match(dense.stdout, /batch 512, micro-batch \(n_ubatch\) 256–512 \(capped at the context\), mmap on/);
});

test("bad input: usage errors exit 2 naming the flag, a missing file exits 1, never a stack trace", async () => {
  const model = await tinyModel(dir, "usage.gguf");
  const contexts = await runCli(["estimate", model, "--contexts", "512,abc", "--no-db"]);
  assert.equal(contexts.code, 2);
  assert.match(contexts.stderr, /--contexts expects whole numbers/);
  const q8 = await runCli(["estimate", model, "--kv-cache-type", "q8_0", "--no-db"]);
  assert.equal(q8.code, 2);
  assert.match(q8.stderr, /--flash-attention on/);
  const missing = await runCli(["estimate", join(dir, "nope.gguf"), "--no-db"]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^gguf-bench: /);
  for (const run of [contexts, q8, missing]) assert.doesNotMatch(run.stderr, /\n\s+at /);
});

test("a model without a head count: the KV cache is unknown with the reason, and so are the total and the fit", async () => {
  const { path: source } = await synthesizeModel({
    arch: "llama",
    preset: "tiny",
    type: "f32",
    out: join(dir, "heads.gguf"),
  });
  const path = await copyWithoutKeys(source, join(dir, "no-heads.gguf"), [
    "llama.attention.head_count",
    "llama.attention.head_count_kv",
  ]);
  const json = await runCli(["estimate", path, "--no-db", "--json", "--contexts", "512,4096"]);
  assert.equal(json.code, 0, json.stderr);
  for (const e of JSON.parse(json.stdout).estimates) {
    assert.equal(e.kvCacheBytes, null);
    assert.equal(e.totalBytes, null);
    assert.equal(e.fit, "unknown");
    assert.match(e.kvUnknownReason, /llama\.attention\.head_count is missing/);
  }
  const text = await runCli(["estimate", path, "--no-db", "--contexts", "512"]);
  assert.match(text.stdout, /KV cache unknown: llama\.attention\.head_count is missing/);
  assert.doesNotMatch(text.stdout, /│ yes/);
  const inspect = await runCli(["inspect", path]);
  assert.match(inspect.stdout, /KV cache per token +│ unknown: llama\.attention\.head_count is missing/);
});

test("a tensor of a ggml type llama.cpp does not know: unsupported-tensor-type naming the id, in inspect, estimate and run", async () => {
  const { path: source } = await synthesizeModel({
    arch: "llama",
    preset: "tiny",
    type: "f32",
    out: join(dir, "t.gguf"),
  });
  const path = await withTensorTypeId(source, join(dir, "type138.gguf"), "blk.0.attn_q.weight", 138);
  const inspect = await runCli(["inspect", "--json", path]);
  assert.equal(inspect.code, 1);
  const [outcome] = JSON.parse(inspect.stdout);
  assert.equal(outcome.error.code, "unsupported-tensor-type");
  assert.match(
    outcome.error.message,
    /tensor "blk\.0\.attn_q\.weight": ggml type 138 is not one the bundled llama\.cpp knows/,
  );
  const estimate = await runCli(["estimate", path, "--no-db"]);
  assert.equal(estimate.code, 1);
  assert.match(estimate.stderr, /^gguf-bench: .*ggml type 138/);
  const out = join(dir, "run-138");
  const run = await runCli(["run", path, "--no-db", "--no-bandwidth", "--format", "json", "--out", out]);
  assert.equal(run.code, 1);
  const results = JSON.parse(await readFile(join(out, "results.json"), "utf8"));
  assert.deepEqual(
    results.models[0].errors.map((e: { stage: string; code: string }) => [e.stage, e.code]),
    [["metadata", "unsupported-tensor-type"]],
  );
});
