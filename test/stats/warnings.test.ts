import assert from "node:assert/strict";
import { test } from "node:test";
import type { InferenceSample } from "../../src/results/types.ts";
import { inferenceWarnings } from "../../src/stats/warnings.ts";

function sample(promptId: string, run: number, totalMs: number, generationTokensPerSecond = 100): InferenceSample {
  return {
    promptId,
    run,
    warmup: run < 0,
    promptTokens: 10,
    promptMs: 10,
    promptTokensPerSecond: 1000,
    ttftMs: 12,
    outputTokens: 16,
    generationMs: 160,
    generationTokensPerSecond,
    totalMs,
    peakRssBytes: 1e6,
  };
}

test("steady runs give no warning", () => {
  const samples = [sample("a", -1, 900), sample("a", 0, 100), sample("a", 1, 101), sample("a", 2, 99)];
  assert.deepEqual(inferenceWarnings(samples), []);
});

test("first timed run 3× slower than the median of the rest is flagged, warm-up ignored", () => {
  // a: first 300, rest median 100 → ratio 3 ≥ 1.5. b: first 140 vs 100 → 1.4, not flagged.
  const samples = [sample("a", 0, 300), sample("a", 1, 100), sample("a", 2, 100)];
  samples.push(sample("b", 0, 140), sample("b", 1, 100), sample("b", 2, 100));
  const codes = inferenceWarnings(samples).map((w) => w.code);
  assert.ok(codes.includes("first-run-slow"));
  const warning = inferenceWarnings(samples).find((w) => w.code === "first-run-slow");
  assert.match(warning?.message ?? "", /a \(300 ms vs 100 ms\)/);
  assert.doesNotMatch(warning?.message ?? "", /b \(/);
  assert.ok((warning?.hint ?? "").length > 0);
});

test("CV above 10% is flagged per metric, with the prompt and the figure", () => {
  // generation tok/s 80, 100, 120: mean 100, sd 20, cv 20%
  const samples = [sample("a", 0, 100, 80), sample("a", 1, 100, 100), sample("a", 2, 100, 120)];
  const warnings = inferenceWarnings(samples);
  const cv = warnings.find((w) => w.code === "high-cv");
  assert.equal(cv?.metric, "generationTokensPerSecond");
  assert.match(cv?.message ?? "", /20\.0% between runs of a/);
  assert.equal(warnings.filter((w) => w.code === "high-cv").length, 1);
});

test("an outlier run is named", () => {
  const totals = [100, 101, 100, 99, 100, 400];
  const samples = totals.map((t, i) => sample("a", i, t));
  const outlier = inferenceWarnings(samples).find((w) => w.code === "outlier" && w.metric === "totalMs");
  assert.match(outlier?.message ?? "", /a run 6/);
});
