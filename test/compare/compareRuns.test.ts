import assert from "node:assert/strict";
import { test } from "node:test";
import { compareRuns } from "../../src/compare/compareRuns.ts";
import { findRegressions } from "../../src/compare/findRegressions.ts";
import { renderComparisonMarkdown } from "../../src/compare/renderComparisonMarkdown.ts";
import { LLAMA_CPP_COMMIT_NOT_RECORDED } from "../../src/results/types.ts";
import { machineIdentity } from "../../src/store/machineIdentity.ts";
import { buildEnvironment, buildRun, okContext } from "../helpers/resultsBuilder.ts";

const close = (actual: number | null, expected: number, tolerance = 1e-9) => {
  assert.ok(actual !== null, "value present");
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not within ${tolerance} of ${expected}`);
};

// Two runs of one model with known samples (two timed runs each, so df = 2 has a closed form):
// generation tokens/s A = [100, 102] (mean 101, s² = 2), B = [110, 112] (mean 111, s² = 2):
//   se² = 2/2 + 2/2 = 2, t = 10/√2 = 7.0710678118654755, df = 2² / (1²/1 + 1²/1) = 2,
//   p = 1 − t/√(2 + t²) = 1 − √(50/52) = 1 − 5/√26 = 0.019419324309079666 → significant, higher is better.
//   CI = 10 ± t_0.975,2 · √2 = 10 ± √(2 · 1.805/0.0975) = 10 ± 6.084869844593308; change = 10/101 = 9.90099…%.
// time to first token A = [20, 22], B = [30, 32]: the same t and p, but lower is better → a regression of 10/21.
// prompt speed A = B = [2000, 2001]: t = 0, p = 1. Output tokens 64 everywhere: no variance, not tested.
const runA = buildRun({
  models: [
    {
      label: "tiny.gguf",
      fingerprint: "f1",
      samples: {
        generationTokensPerSecond: [100, 102],
        ttftMs: [20, 22],
        promptTokensPerSecond: [2000, 2001],
        outputTokens: [64, 64],
      },
      contexts: [okContext(512, 400), okContext(1024, 300)],
    },
  ],
});
const runB = buildRun({
  models: [
    {
      label: "tiny.gguf",
      fingerprint: "f1",
      samples: {
        generationTokensPerSecond: [110, 112],
        ttftMs: [30, 32],
        promptTokensPerSecond: [2000, 2001],
        outputTokens: [64, 64],
      },
      contexts: [okContext(512, 500)],
    },
  ],
});

test("two runs with known samples: t, p, CI and verdicts match the hand computation", () => {
  const c = compareRuns(runA, runB);
  assert.deepEqual(c.warnings, []);
  assert.equal(c.models.length, 1);
  const metrics = new Map(c.models[0]?.metrics.map((m) => [m.metric, m]));
  const gen = metrics.get("inference.generationTokensPerSecond");
  assert.ok(gen);
  close(gen.t, 7.0710678118654755);
  close(gen.df, 2);
  close(gen.p, 1 - 5 / Math.sqrt(26));
  close(gen.p, 0.019419324309079666);
  close(gen.changePercent, 1000 / 101);
  close(gen.ci95Low, 10 - 6.084869844593308, 1e-8);
  close(gen.ci95High, 10 + 6.084869844593308, 1e-8);
  close(gen.ci95LowPercent, ((10 - 6.084869844593308) / 101) * 100, 1e-8);
  assert.equal(gen.significant, true);
  assert.equal(gen.verdict, "improved");

  const ttft = metrics.get("inference.ttftMs");
  close(ttft?.p ?? null, 0.019419324309079666);
  close(ttft?.changePercent ?? null, 1000 / 21);
  assert.equal(ttft?.verdict, "regressed");

  const prompt = metrics.get("inference.promptTokensPerSecond");
  close(prompt?.t ?? null, 0);
  close(prompt?.p ?? null, 1);
  assert.equal(prompt?.verdict, "no-significant-change");
  assert.equal(prompt?.significant, false);

  assert.equal(metrics.get("inference.outputTokens")?.verdict, "not-tested");
  // Context 512 is in both runs (single measurement: change only); 1024 only in A, so not compared.
  const ctx = metrics.get("context.512.generationTokensPerSecond");
  close(ctx?.changePercent ?? null, 25);
  assert.equal(ctx?.verdict, "not-tested");
  assert.equal(ctx?.p, null);
  assert.equal(metrics.has("context.1024.generationTokensPerSecond"), false);
  assert.equal(metrics.get("load.durationMs")?.verdict, "not-tested");
});

test("--fail-on-regression counts only significant regressions beyond the threshold", () => {
  const c = compareRuns(runA, runB);
  // ttft +47.6% is the only significant regression; generation +9.9% is an improvement.
  assert.deepEqual(
    findRegressions(c, 40).map((r) => r.metric.metric),
    ["inference.ttftMs"],
  );
  assert.deepEqual(findRegressions(c, 50), []);
  // The other way round generation speed regresses by 9.009…% (10/111) and ttft improves.
  assert.deepEqual(
    findRegressions(compareRuns(runB, runA), 5).map((r) => r.metric.metric),
    ["inference.generationTokensPerSecond"],
  );
});

test("models match by fingerprint first, then by name, preferring identical settings", () => {
  const a = buildRun({
    models: [
      { label: "renamed-before.gguf", fingerprint: "same-file" },
      { label: "model.gguf", fingerprint: "old-quant" },
      { label: "sweep.gguf", fingerprint: "s", settings: { threads: 1 }, caseId: "sweep#1" },
      { label: "sweep.gguf", fingerprint: "s", settings: { threads: 2 }, caseId: "sweep#2" },
      { label: "gone.gguf", fingerprint: "g" },
    ],
  });
  const b = buildRun({
    models: [
      { label: "sweep.gguf", fingerprint: "s", settings: { threads: 2 }, caseId: "sweep#1" },
      { label: "model.gguf", fingerprint: "new-quant" },
      { label: "renamed-after.gguf", fingerprint: "same-file" },
      { label: "sweep.gguf", fingerprint: "s", settings: { threads: 1 }, caseId: "sweep#2" },
      { label: "new.gguf", fingerprint: "n" },
    ],
  });
  const c = compareRuns(a, b);
  assert.deepEqual(
    c.models.map((m) => [m.a.label, m.b.label, m.matchedBy, m.settingsA.threads, m.settingsB.threads]),
    [
      ["renamed-before.gguf", "renamed-after.gguf", "fingerprint", 2, 2],
      ["model.gguf", "model.gguf", "label", 2, 2],
      ["sweep.gguf", "sweep.gguf", "fingerprint", 1, 1],
      ["sweep.gguf", "sweep.gguf", "fingerprint", 2, 2],
    ],
  );
  assert.deepEqual(
    c.models[1]?.warnings.map((w) => w.code),
    ["matched-by-label"],
  );
  assert.deepEqual(
    c.onlyInA.map((m) => m.label),
    ["gone.gguf"],
  );
  assert.deepEqual(
    c.onlyInB.map((m) => m.label),
    ["new.gguf"],
  );
});

test("environment, run settings and case settings differences are warned about", () => {
  const a = buildRun({ models: [{ label: "m.gguf", settings: { threads: 2, flashAttention: false } }] });
  const b = buildRun({
    environment: {
      cpu: { ...buildEnvironment().cpu, model: "Other CPU", family: 25, modelNumber: 1 },
      llamaCppBuild: "b6100",
      nodeLlamaCpp: "3.22.0",
      backend: "vulkan",
    },
    maxTokens: 128,
    models: [{ label: "m.gguf", settings: { threads: 4, flashAttention: true } }],
  });
  const c = compareRuns(a, b);
  assert.deepEqual(
    c.warnings.map((w) => [w.code, w.message]),
    [
      [
        "environment-differs",
        `machine differs between the runs: ${machineIdentity(a.environment).name} → ${machineIdentity(b.environment).name}`,
      ],
      ["environment-differs", "CPU differs between the runs: Test CPU 9000 → Other CPU"],
      ["environment-differs", "CPU family/model differs between the runs: 26/2 → 25/1"],
      ["environment-differs", "llama.cpp build differs between the runs: b6000 → b6100"],
      ["environment-differs", "node-llama-cpp differs between the runs: 3.21.1 → 3.22.0"],
      ["environment-differs", "backend differs between the runs: cpu → vulkan"],
      ["settings-differ", "max tokens differs between the runs: 64 → 128"],
    ],
  );
  assert.deepEqual(
    c.models[0]?.warnings.map((w) => w.message),
    ["settings differ: threads 2 → 4, flashAttention false → true"],
  );
});

test("different llama.cpp commits are warned about; an unrecorded commit is unknown, never a difference", () => {
  const commit = (llamaCppCommit: string | null, reason: string | null = null) =>
    buildRun({ environment: { llamaCppCommit, llamaCppCommitNotRecordedReason: reason } });
  const x = "80fb11ac73e66d89eae2c6a91d8a77428fa733ed";
  const y = "1234567890abcdef1234567890abcdef12345678";
  const commitWarnings = (c: ReturnType<typeof compareRuns>) =>
    c.warnings.filter((w) => w.message.startsWith("llama.cpp commit")).map((w) => [w.code, w.message]);

  const differ = compareRuns(commit(x), commit(y));
  assert.equal(differ.sameLlamaCppCommit, false);
  assert.deepEqual(commitWarnings(differ), [
    ["environment-differs", `llama.cpp commit differs between the runs: ${x} → ${y}`],
  ]);
  assert.deepEqual([differ.a.llamaCppCommit, differ.b.llamaCppCommit], [x, y]);

  const same = compareRuns(commit(x), commit(x));
  assert.equal(same.sameLlamaCppCommit, true);
  assert.deepEqual(same.warnings, []);

  // An older file (read with the schema's default reason) and an older history row (no field at all).
  const older = commit(null, LLAMA_CPP_COMMIT_NOT_RECORDED);
  const fromDb = commit(x);
  delete (fromDb.environment as Partial<typeof fromDb.environment>).llamaCppCommit;
  delete (fromDb.environment as Partial<typeof fromDb.environment>).llamaCppCommitNotRecordedReason;
  for (const [a, b] of [
    [older, commit(y)],
    [commit(y), fromDb],
  ] as const) {
    const c = compareRuns(a, b);
    assert.equal(c.sameLlamaCppCommit, null);
    assert.deepEqual(commitWarnings(c), []);
  }
  const unknown = compareRuns(older, commit(y));
  assert.equal(unknown.a.llamaCppCommit, null);
  assert.equal(unknown.a.llamaCppCommitNotRecordedReason, LLAMA_CPP_COMMIT_NOT_RECORDED);
  assert.equal(unknown.b.llamaCppCommitNotRecordedReason, null);
  assert.equal(compareRuns(commit(y), fromDb).b.llamaCppCommitNotRecordedReason, LLAMA_CPP_COMMIT_NOT_RECORDED);
  const md = renderComparisonMarkdown(unknown);
  assert.ok(
    md.includes(
      `The llama.cpp commit is unknown for A: ${LLAMA_CPP_COMMIT_NOT_RECORDED}: whether both runs used the same llama.cpp is not known.\n`,
    ),
    md,
  );
  assert.match(md, /\| b6000, commit unknown \|[^\n]*\n[^\n]*\| b6000, commit 1234567 \|/);
  assert.doesNotMatch(md, /commit differs/);
  assert.doesNotMatch(renderComparisonMarkdown(differ), /commit is unknown/);
});

test("a case that failed in one run is compared on what both measured, with a warning", () => {
  const a = buildRun({ models: [{ label: "m.gguf" }] });
  const b = buildRun({ models: [{ label: "m.gguf", status: "failed" }] });
  const c = compareRuns(a, b);
  assert.deepEqual(c.models[0]?.metrics, []);
  assert.deepEqual(
    c.models[0]?.warnings.map((w) => w.message),
    ["in run B this case ended failed (crash)"],
  );
});
