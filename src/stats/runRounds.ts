import type { InferenceSample, RunStopping } from "../results/types.ts";
import { type AutoRunsPolicy, checkedFractions, stopAfterRound } from "./autoRuns.ts";

/** What the rounds are made of: the job's prompts and run counts (a GroupJob fits). */
export interface RoundsPlan<P> {
  prompts: readonly P[];
  /** Untimed rounds first (each run is passed run −1). */
  warmupRuns: number;
  /** `--runs N`, or the minimum of `--runs auto`. */
  runs: number;
  /** null: exactly `runs` timed rounds. */
  autoRuns: AutoRunsPolicy | null;
}

/**
 * The inference stage's rounds, shared by the in-process worker and the serving engines: `warmupRuns` rounds of
 * every prompt (`runOne(prompt, -1)`), then timed rounds (`runOne(prompt, round)`, round from 0) until
 * `stopAfterRound` says stop. Each round runs every prompt once, so prompts stay balanced. A round's duration is
 * its wall-clock time in ms (`now`, default `performance.now`). Returns how the timed runs stopped, or null as soon
 * as `runOne` returns null (the run failed and was recorded by the caller; no further run starts). Errors thrown
 * by `runOne` propagate. No I/O of its own.
 */
export async function runRounds<P>(
  plan: RoundsPlan<P>,
  runOne: (prompt: P, run: number) => Promise<InferenceSample | null>,
  now: () => number = () => performance.now(),
): Promise<RunStopping | null> {
  for (let round = 0; round < plan.warmupRuns; round++)
    for (const prompt of plan.prompts) if ((await runOne(prompt, -1)) === null) return null;
  const timed: InferenceSample[] = [];
  let elapsedMs = 0;
  for (let round = 0; ; round++) {
    const roundStart = now();
    for (const prompt of plan.prompts) {
      const sample = await runOne(prompt, round);
      if (sample === null) return null;
      timed.push(sample);
    }
    const lastRoundMs = now() - roundStart;
    elapsedMs += lastRoundMs;
    const reason = stopAfterRound({
      samples: timed,
      rounds: round + 1,
      minRuns: plan.runs,
      policy: plan.autoRuns,
      elapsedMs,
      lastRoundMs,
    });
    if (reason === null) continue;
    return {
      mode: plan.autoRuns ? "auto" : "fixed",
      runsPerPrompt: round + 1,
      reason,
      targetCiFraction: plan.autoRuns?.targetCiFraction ?? null,
      ciHalfWidthFraction: checkedFractions(timed),
      timedMs: elapsedMs,
    };
  }
}
