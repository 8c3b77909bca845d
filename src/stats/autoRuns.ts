import type { InferenceMetric, InferenceSample, RunStopping, Summary } from "../results/types.ts";
import { summarize } from "./summary.ts";

/** `--runs auto`: when to stop adding timed runs. */
export interface AutoRunsPolicy {
  /** Stop once every checked figure's 95% CI half-width is at most this fraction of its mean (0.05 = 5%). */
  targetCiFraction: number;
  /** Cap: timed runs per prompt. */
  maxRuns: number;
  /** Cap: once the timed runs of a case have taken this long, no further round is started. */
  timeBudgetMs: number;
}

/**
 * The figures whose interval decides when to stop: the two speeds a reader compares first. TTFT and total time
 * follow from them; memory barely varies between runs.
 */
export const AUTO_CHECKED_METRICS: readonly InferenceMetric[] = ["generationTokensPerSecond", "promptTokensPerSecond"];

/** Half the width of the interval relative to the mean, taking the wider side (log-scale intervals are skewed). */
export function ciHalfWidthFraction(summary: Summary): number {
  if (!(summary.mean > 0)) return Number.POSITIVE_INFINITY;
  return Math.max(summary.ci95High - summary.mean, summary.mean - summary.ci95Low) / summary.mean;
}

export interface RoundState {
  /** Timed samples so far, all prompts (warm-ups excluded). */
  samples: readonly InferenceSample[];
  /** Completed timed rounds: each prompt ran once per round. */
  rounds: number;
  /** `--runs N`, or the minimum of `--runs auto`. */
  minRuns: number;
  /** null: a fixed number of runs. */
  policy: AutoRunsPolicy | null;
  /** Time the timed rounds took so far, and the last one. */
  elapsedMs: number;
  lastRoundMs: number;
}

/**
 * After each timed round (every prompt once, so prompts stay balanced in the summary), whether to run another,
 * as hyperfine and pyperf do with a minimum number of runs and a time budget, plus a precision target: the same
 * summaries the report shows (all timed samples of the case) are computed, and the rounds stop when every checked
 * figure's CI half-width is within the target. The minimum runs always happen; a round that would end past the
 * time budget (judged by the last round's duration) is not started. Pure: tested with exact samples.
 */
export function stopAfterRound(state: RoundState): RunStopping["reason"] | null {
  if (state.rounds < state.minRuns) return null;
  const { policy } = state;
  if (policy === null) return "fixed";
  const fractions = checkedFractions(state.samples);
  if (Object.values(fractions).every((f) => f <= policy.targetCiFraction)) return "ci-within-target";
  if (state.rounds >= policy.maxRuns) return "max-runs";
  if (state.elapsedMs + state.lastRoundMs > policy.timeBudgetMs) return "time-budget";
  return null;
}

/**
 * CI half-width / mean of each checked figure over the samples. A figure that was not measured (every value 0,
 * e.g. generation speed with --max-tokens 1) is left out: it cannot decide anything.
 */
export function checkedFractions(samples: readonly InferenceSample[]): Partial<Record<InferenceMetric, number>> {
  const fractions: Partial<Record<InferenceMetric, number>> = {};
  for (const metric of AUTO_CHECKED_METRICS) {
    const values = samples.flatMap((s) => (s[metric] === null ? [] : [s[metric]]));
    if (values.every((v) => v === 0)) continue;
    fractions[metric] = ciHalfWidthFraction(summarize(values));
  }
  return fractions;
}
