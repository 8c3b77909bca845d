import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { synthesizeModel } from "../../src/gguf/synthesize.ts";
import { STANDARD_PROMPTS } from "../../src/prompts/standardPrompts.ts";
import type { InferenceSample } from "../../src/results/types.ts";
import { type AutoRunsPolicy, stopAfterRound } from "../../src/stats/autoRuns.ts";
import type { GroupJob } from "../../src/worker/protocol.ts";
import { groupCase, groupJob } from "../helpers/groupJob.ts";
import { ofType, runWorker } from "./workerHarness.ts";

// --runs auto in the real worker on a synthesised model. Timings are noisy here, so the assertions are on the
// stopping logic: replaying the rule on the samples the worker sent must stop exactly where it stopped, for the
// reason it gave. The time budget is out of reach, so only the samples decide.
let dir: string;
let model: string;
before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "gguf-bench-auto-runs-"));
  model = (await synthesizeModel({ arch: "llama", preset: "tiny", type: "f32", out: path.join(dir, "tiny.gguf") }))
    .path;
});
after(() => rm(dir, { recursive: true, force: true }));

function job(autoRuns: AutoRunsPolicy, threads: number): GroupJob {
  return groupJob(model, {
    cases: [groupCase({ threads })],
    runs: 3,
    autoRuns,
    inferenceContextSize: 256,
    trainingContextLength: 1024,
  });
}

/** Runs the job; checks the worker stopped exactly where the rule says, and returns what it reported. */
async function runAndReplay(autoRuns: AutoRunsPolicy, threads: number) {
  const run = await runWorker(job(autoRuns, threads), { timeoutMs: 600_000 });
  assert.equal(run.exitCode, 0, run.stderr);
  assert.deepEqual(ofType(run, "stage-error"), []);
  const [done] = ofType(run, "inference-done");
  const stopping = done?.stopping ?? assert.fail("no inference-done");
  const timed: InferenceSample[] = ofType(run, "inference-sample")
    .map((m) => m.sample)
    .filter((s) => !s.warmup);
  const perRound = STANDARD_PROMPTS.length;
  assert.equal(timed.length, stopping.runsPerPrompt * perRound, "whole rounds: every prompt equally often");
  for (let rounds = 1; rounds <= stopping.runsPerPrompt; rounds++) {
    const decision = stopAfterRound({
      samples: timed.slice(0, rounds * perRound),
      rounds,
      minRuns: 3,
      policy: autoRuns,
      elapsedMs: 0,
      lastRoundMs: 0,
    });
    assert.equal(decision, rounds === stopping.runsPerPrompt ? stopping.reason : null, `after round ${rounds}`);
  }
  assert.equal(stopping.mode, "auto");
  assert.equal(stopping.targetCiFraction, autoRuns.targetCiFraction);
  return stopping;
}

test("a target the noise cannot miss: auto stops after the minimum 3 runs, within it", async (t) => {
  // What is stable depends on the machine: a run of this tiny model lasts milliseconds, so one preemption changes
  // its speed by a multiple. At a load average of 20-30 on 2 cores, ±50% took 3 runs once, 20 (the cap) another
  // time, 19 with a single prompt. So the target here is ±10000% (3 runs measured ±342% once): met at the minimum, where the rule must stop.
  // The exact stable case is test/stats/autoRuns.test.ts, on exact samples.
  const stopping = await runAndReplay({ targetCiFraction: 100, maxRuns: 8, timeBudgetMs: 3_600_000 }, 1);
  t.diagnostic(
    `stable: ${stopping.runsPerPrompt} runs, ${stopping.reason}, ${JSON.stringify(stopping.ciHalfWidthFraction)}`,
  );
  assert.deepEqual([stopping.reason, stopping.runsPerPrompt], ["ci-within-target", 3]);
  for (const fraction of Object.values(stopping.ciHalfWidthFraction)) assert.ok(fraction <= 100);
});

test("a deliberately noisy workload (two CPU hogs beside it on 2 cores): more runs until the target or the cap", async (t) => {
  const hogs: ChildProcess[] = [];
  for (let i = 0; i < 2; i++) hogs.push(spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" }));
  try {
    const stopping = await runAndReplay({ targetCiFraction: 0.05, maxRuns: 6, timeBudgetMs: 3_600_000 }, 1);
    t.diagnostic(`noisy: ${stopping.runsPerPrompt} runs per prompt, ${stopping.reason}`);
    assert.ok(stopping.reason === "ci-within-target" || stopping.reason === "max-runs", stopping.reason);
    if (stopping.reason === "max-runs") assert.equal(stopping.runsPerPrompt, 6);
    // An unreachable target always ends at the cap.
    const capped = await runAndReplay({ targetCiFraction: 1e-6, maxRuns: 4, timeBudgetMs: 3_600_000 }, 1);
    assert.deepEqual([capped.reason, capped.runsPerPrompt], ["max-runs", 4]);
  } finally {
    for (const hog of hogs) hog.kill("SIGKILL");
  }
});
