import assert from "node:assert/strict";
import { test } from "node:test";
import { bestSettings } from "../../src/analysis/bestSettings.ts";
import type { CaseSettings, ModelResult, Summary } from "../../src/results/types.ts";
import { buildSettings } from "../helpers/resultsBuilder.ts";

const SETTINGS: CaseSettings = buildSettings();

function summary(n: number, mean: number, sd: number): Summary {
  // The interval is carried through as given; these are not recomputed by bestSettings.
  return {
    n,
    mean,
    sd,
    min: mean - sd,
    max: mean + sd,
    median: mean,
    ci95Low: mean - 1,
    ci95High: mean + 1,
    ciMethod: "t",
    cv: 0,
  };
}

let nextId = 0;
function model(
  file: string,
  settings: Partial<CaseSettings>,
  generation: Summary | null,
  extra: Partial<ModelResult> = {},
): ModelResult {
  nextId++;
  const base = {
    caseId: `${file}#${nextId}`,
    label: file,
    file: `/models/${file}`,
    fileFingerprint: `fp-${file}`,
    synthetic: false,
    info: {} as ModelResult["info"],
    settings: { ...SETTINGS, ...settings },
    status: "ok" as const,
    process: { pid: 1, outcome: "ok" as const, exitCode: 0, signal: null, wallMs: 1 },
    load: null,
    inference: generation && {
      contextSize: 1024,
      samples: [],
      summaries: {
        totalMs: summary(3, 1, 0),
        ttftMs: summary(3, 1, 0),
        promptTokensPerSecond: summary(3, 1, 0),
        generationTokensPerSecond: generation,
        outputTokens: summary(3, 1, 0),
        peakRssBytes: summary(3, 1, 0),
      },
      warnings: [],
      stopping: null,
    },
    contexts: [],
    cleanup: null,
    concurrency: [],
    errors: [],
  };
  return { ...base, ...extra };
}

test("threads 1 vs 2: the faster case is best, Welch's p against the runner-up, not significant at n = 3", () => {
  const one = model("a.gguf", { threads: 1 }, summary(3, 10, 1));
  const two = model("a.gguf", { threads: 2 }, summary(3, 12, 1));
  const alone = model("b.gguf", {}, summary(3, 50, 1));
  const result = bestSettings([one, two, alone]);
  assert.equal(result.length, 1);
  const entry = result[0];
  assert.ok(entry);
  assert.equal(entry.file, "/models/a.gguf");
  assert.deepEqual(entry.varied, ["threads"]);
  assert.equal(entry.metric, "generationTokensPerSecond");
  assert.deepEqual(entry.best, { caseId: two.caseId, settings: two.settings, mean: 12, ci95Low: 11, ci95High: 13 });
  assert.equal(entry.runnerUp?.caseId, one.caseId);
  assert.equal(entry.runnerUp?.mean, 10);
  // t = 2 / √(1/3 + 1/3) = √6, df = 4; for 4 df, p = 1 − 1.5 x (1 − x²/3) with x = t / √(4 + t²) = √0.6,
  // so p = 1 − 1.2 √0.6 = 0.0704839969…
  assert.ok(Math.abs((entry.runnerUp?.pValue ?? 0) - (1 - 1.2 * Math.sqrt(0.6))) < 1e-9);
  assert.equal(entry.runnerUp?.significant, false);
});

test("a large difference is significant; the runner-up is the second of three", () => {
  const cases = [
    model("c.gguf", { kvCacheType: "f16", flashAttention: false }, summary(3, 10, 1)),
    model("c.gguf", { kvCacheType: "q8_0", flashAttention: true }, summary(3, 20, 1)),
    model("c.gguf", { kvCacheType: "q8_0", flashAttention: false }, summary(3, 5, 1)),
  ];
  const [entry] = bestSettings(cases);
  assert.deepEqual(entry?.varied, ["flashAttention", "kvCacheType"]);
  assert.equal(entry?.best.caseId, cases[1]?.caseId);
  assert.equal(entry?.runnerUp?.caseId, cases[0]?.caseId);
  // t = 10 / √(2/3) = √150, df = 4, x² = 150/154: p = 1 − 1.5 √(150/154) (1 − 50/154) = 0.000255216…
  const x = Math.sqrt(150 / 154);
  assert.ok(Math.abs((entry?.runnerUp?.pValue ?? 1) - (1 - 1.5 * x * (1 - 50 / 154))) < 1e-9);
  assert.equal(entry?.runnerUp?.significant, true);
});

test("failed cases and cases without timed runs are not ranked; a single timed run gives no p-value", () => {
  const failed = model("d.gguf", { threads: 4 }, summary(3, 99, 1), { status: "failed" });
  const noInference = model("d.gguf", { threads: 3 }, null);
  const single = model("d.gguf", { threads: 1 }, summary(1, 8, 0));
  const best = model("d.gguf", { threads: 2 }, summary(3, 9, 1));
  const [entry] = bestSettings([failed, noInference, single, best]);
  assert.equal(entry?.best.caseId, best.caseId);
  assert.deepEqual(entry?.runnerUp, {
    caseId: single.caseId,
    settings: single.settings,
    mean: 8,
    pValue: null,
    significant: false,
    busyOtherCpuFraction: null,
  });
});

test("only one rankable case: best without a runner-up", () => {
  const failed = model("e.gguf", { threads: 1 }, null, { status: "failed" });
  const ok = model("e.gguf", { threads: 2 }, summary(3, 9, 1));
  const [entry] = bestSettings([failed, ok]);
  assert.equal(entry?.best.caseId, ok.caseId);
  assert.equal(entry?.runnerUp, null);
});

test("nothing varied, or a different model at the same path: no entry", () => {
  const sameTwice = [model("f.gguf", {}, summary(3, 9, 1)), model("f.gguf", {}, summary(3, 10, 1))];
  assert.deepEqual(bestSettings(sameTwice), []);
  const other = model("g.gguf", { threads: 1 }, summary(3, 9, 1));
  const replaced = model("g.gguf", { threads: 2 }, summary(3, 10, 1), { fileFingerprint: "fp-other" });
  assert.deepEqual(bestSettings([other, replaced]), []);
  assert.deepEqual(bestSettings([]), []);
});
