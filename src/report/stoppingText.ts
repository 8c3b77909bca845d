import type { RunStopping } from "../results/types.ts";
import { INFERENCE_METRICS } from "./metrics.ts";

const pct = (fraction: number) => `±${(fraction * 100).toFixed(1)}%`;

/**
 * One sentence on how many timed runs a case's figures took and why they stopped, e.g. "7 timed runs per
 * prompt (--runs auto): stopped when the 95% CI came within ±5.0% of the mean (generation tokens/s ±3.1%,
 * prompt tokens/s ±4.2%)." Null when the run did not record it (a crash, an older results file).
 */
export function stoppingText(stopping: RunStopping | null): string | null {
  if (!stopping) return null;
  const runs = `${stopping.runsPerPrompt} timed run${stopping.runsPerPrompt === 1 ? "" : "s"} per prompt`;
  if (stopping.reason === "fixed") return `${runs} (--runs ${stopping.runsPerPrompt}).`;
  const reached = Object.entries(stopping.ciHalfWidthFraction)
    .map(([metric, fraction]) => `${label(metric)} ${pct(fraction as number)}`)
    .join(", ");
  const target = stopping.targetCiFraction === null ? "the target" : pct(stopping.targetCiFraction);
  switch (stopping.reason) {
    case "ci-within-target":
      return `${runs} (--runs auto): stopped when the 95% CI came within ${target} of the mean (${reached}).`;
    case "max-runs":
      return `${runs} (--runs auto): stopped at the --max-runs cap before the 95% CI came within ${target} (${reached}).`;
    case "time-budget":
      return `${runs} (--runs auto): stopped at the --max-runs-time budget before the 95% CI came within ${target} (${reached}).`;
    default: {
      const unknown: never = stopping.reason;
      return `${runs}: stopped (${String(unknown)}).`;
    }
  }
}

function label(metric: string): string {
  const known = INFERENCE_METRICS[metric as keyof typeof INFERENCE_METRICS];
  return known ? `${known.label.toLowerCase()} (${known.displayUnit})` : metric;
}
