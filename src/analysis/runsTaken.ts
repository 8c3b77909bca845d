import type { ModelResult, RunStopping } from "../results/types.ts";

/** How many timed runs of each prompt a case's inference figures rest on, and why the runs stopped there. */
export interface RunsTaken {
  /** Timed runs per prompt (warm-ups not counted). */
  runsPerPrompt: number;
  /** "fixed": --runs N; "auto": --runs auto; null: an older results file that did not record it. */
  mode: RunStopping["mode"] | null;
  /**
   * Why the runs stopped: "fixed" (the N asked for), "ci-within-target" (the 95% CI of generation and prompt
   * tokens/s came within --target-ci), "max-runs" (--max-runs cap), "time-budget" (--max-runs-time cap);
   * null when the file does not say (then runsPerPrompt is counted from the samples).
   */
  reason: RunStopping["reason"] | null;
}

/**
 * The runs behind a case's figures: from inference.stopping when recorded, else (older files) the most timed
 * samples any one prompt has. Null when the inference stage produced no timed sample (a failed load, a crash
 * before the first run).
 */
export function runsTaken(model: ModelResult): RunsTaken | null {
  const inference = model.inference;
  if (!inference) return null;
  const stopping = inference.stopping ?? null;
  if (stopping) return { runsPerPrompt: stopping.runsPerPrompt, mode: stopping.mode, reason: stopping.reason };
  const perPrompt = new Map<string, number>();
  for (const s of inference.samples) if (!s.warmup) perPrompt.set(s.promptId, (perPrompt.get(s.promptId) ?? 0) + 1);
  const most = Math.max(0, ...perPrompt.values());
  return most > 0 ? { runsPerPrompt: most, mode: null, reason: null } : null;
}

/** Short words for a reason, for table cells and CSV: "fixed", "target met", "run cap", "time cap". */
export const STOP_REASON_SHORT: Record<RunStopping["reason"], string> = {
  fixed: "fixed",
  "ci-within-target": "target met",
  "max-runs": "run cap",
  "time-budget": "time cap",
};
