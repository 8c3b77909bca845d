import assert from "node:assert/strict";
import { test } from "node:test";
import type { InferenceSample } from "../../src/results/types.ts";
import {
  type AutoRunsPolicy,
  checkedFractions,
  ciHalfWidthFraction,
  stopAfterRound,
} from "../../src/stats/autoRuns.ts";
import { summarize } from "../../src/stats/summary.ts";

const policy: AutoRunsPolicy = { targetCiFraction: 0.05, maxRuns: 6, timeBudgetMs: 60_000 };

/** Timed samples of `rounds` rounds over two prompts, with the given speeds in order. */
function samples(generation: number[], prompt: number[] = generation.map(() => 500)): InferenceSample[] {
  return generation.map((speed, i) => ({
    promptId: i % 2 === 0 ? "a" : "b",
    run: Math.floor(i / 2),
    warmup: false,
    promptTokens: 40,
    promptMs: (40 / (prompt[i] as number)) * 1000,
    promptTokensPerSecond: prompt[i] as number,
    ttftMs: 80,
    outputTokens: 64,
    generationMs: (63 / speed) * 1000,
    generationTokensPerSecond: speed,
    totalMs: 1000,
    peakRssBytes: 1e8,
  }));
}

const state = (s: InferenceSample[], extra: Partial<Parameters<typeof stopAfterRound>[0]> = {}) => ({
  samples: s,
  rounds: s.length / 2,
  minRuns: 3,
  policy,
  elapsedMs: 3000,
  lastRoundMs: 1000,
  ...extra,
});

test("the interval's relative half-width takes the wider side (log-scale intervals are skewed)", () => {
  const s = summarize([9, 10, 11]);
  assert.equal(ciHalfWidthFraction(s), (s.ci95High - s.mean) / s.mean);
  assert.ok(s.ci95High - s.mean > s.mean - s.ci95Low);
  assert.equal(ciHalfWidthFraction(summarize([0, 0])), Number.POSITIVE_INFINITY);
});

test("fixed --runs N: exactly N rounds, whatever the spread", () => {
  const noisy = samples([10, 30, 12, 25, 8, 40]);
  assert.equal(stopAfterRound(state(noisy.slice(0, 4), { policy: null })), null);
  assert.equal(stopAfterRound(state(noisy, { policy: null })), "fixed");
});

test("stable speeds: auto stops after the minimum rounds, the interval being within the target", () => {
  // 100 ± 1 tokens/s: the 95% CI half-width of 6 values is about 1%.
  const stable = samples([100, 101, 99, 100, 101, 99]);
  assert.equal(stopAfterRound(state(stable.slice(0, 4))), null, "the minimum runs always happen");
  assert.equal(stopAfterRound(state(stable)), "ci-within-target");
  const fractions = checkedFractions(stable);
  assert.ok((fractions.generationTokensPerSecond ?? 1) < 0.05);
  assert.equal(fractions.promptTokensPerSecond, 0, "identical prompt speeds: no spread");
});

test("noisy speeds: more rounds, then the run cap; a round that would overrun the time budget is not started", () => {
  const noisy = [60, 140, 80, 120, 70, 130, 90, 110, 75, 125, 85, 115];
  assert.equal(stopAfterRound(state(samples(noisy.slice(0, 6)))), null, "not precise enough: one more round");
  assert.equal(stopAfterRound(state(samples(noisy.slice(0, 10)))), null);
  assert.equal(stopAfterRound(state(samples(noisy))), "max-runs", "6 rounds of 2 prompts: the cap");
  assert.equal(
    stopAfterRound(state(samples(noisy.slice(0, 6)), { elapsedMs: 59_500, lastRoundMs: 1000 })),
    "time-budget",
  );
  assert.equal(stopAfterRound(state(samples(noisy.slice(0, 6)), { elapsedMs: 58_000, lastRoundMs: 1000 })), null);
});

test("both speeds must be within the target; a speed never measured (all 0) does not decide", () => {
  const generationStable = [100, 101, 99, 100, 101, 99];
  const promptNoisy = [300, 700, 400, 600, 350, 650];
  assert.equal(stopAfterRound(state(samples(generationStable, promptNoisy))), null);
  // --max-tokens 1: no generation span, speed 0 everywhere; the prompt speed alone decides.
  const unmeasured = samples([0, 0, 0, 0, 0, 0], [500, 501, 499, 500, 501, 499]);
  assert.deepEqual(Object.keys(checkedFractions(unmeasured)), ["promptTokensPerSecond"]);
  assert.equal(stopAfterRound(state(unmeasured)), "ci-within-target");
});
