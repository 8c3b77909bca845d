import assert from "node:assert/strict";
import { test } from "node:test";
import type { InferenceSample } from "../../src/results/types.ts";
import { runRounds } from "../../src/stats/runRounds.ts";

/** A timed sample of `prompt`'s run `run` at a steady speed (so --runs auto's CI is 0 once it can be computed). */
function sample(prompt: string, run: number): InferenceSample {
  return {
    promptId: prompt,
    run,
    warmup: run < 0,
    promptTokens: 40,
    promptMs: 80,
    promptTokensPerSecond: 500,
    ttftMs: 80,
    outputTokens: 64,
    generationMs: 630,
    generationTokensPerSecond: 100,
    totalMs: 710,
    peakRssBytes: 1e8,
  };
}

/** A clock that advances 10 ms at each reading. */
const ticking = () => {
  let t = 0;
  return () => (t += 10);
};

test("runRounds: warm-up rounds (run −1), then exactly `runs` timed rounds of every prompt, fixed", async () => {
  const calls: string[] = [];
  const stopping = await runRounds(
    { prompts: ["a", "b"], warmupRuns: 1, runs: 3, autoRuns: null },
    async (prompt, run) => {
      calls.push(`${prompt}${run}`);
      return sample(prompt, run);
    },
    ticking(),
  );
  assert.deepEqual(calls, ["a-1", "b-1", "a0", "b0", "a1", "b1", "a2", "b2"]);
  assert.equal(stopping?.mode, "fixed");
  assert.equal(stopping?.reason, "fixed");
  assert.equal(stopping?.runsPerPrompt, 3);
  assert.equal(stopping?.targetCiFraction, null);
  assert.equal(stopping?.timedMs, 30);
});

test("runRounds: --runs auto stops at the CI target after the minimum rounds", async () => {
  const stopping = await runRounds(
    { prompts: ["a"], warmupRuns: 0, runs: 2, autoRuns: { targetCiFraction: 0.05, maxRuns: 9, timeBudgetMs: 1e6 } },
    async (prompt, run) => sample(prompt, run),
    ticking(),
  );
  assert.equal(stopping?.mode, "auto");
  assert.equal(stopping?.reason, "ci-within-target");
  assert.equal(stopping?.runsPerPrompt, 2);
  assert.equal(stopping?.targetCiFraction, 0.05);
});

test("runRounds: a failed run (null) ends the rounds at once with null, in warm-up or timed", async () => {
  for (const failAt of [-1, 1]) {
    const calls: number[] = [];
    const stopping = await runRounds(
      { prompts: ["a", "b"], warmupRuns: 1, runs: 3, autoRuns: null },
      async (prompt, run) => {
        calls.push(run);
        return run === failAt && prompt === "a" ? null : sample(prompt, run);
      },
    );
    assert.equal(stopping, null);
    assert.deepEqual(calls, failAt < 0 ? [-1] : [-1, -1, 0, 0, 1]);
  }
});
