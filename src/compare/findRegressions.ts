import type { MetricComparison, ModelComparison, RunComparison } from "./runComparison.ts";

export interface Regression {
  model: ModelComparison;
  metric: MetricComparison;
}

/**
 * For `--fail-on-regression PCT`: the metrics that got significantly worse by more than `thresholdPercent`
 * (point estimate of the change). Only tested figures count, so single measurements never fail a CI job.
 */
export function findRegressions(comparison: RunComparison, thresholdPercent: number): Regression[] {
  return comparison.models.flatMap((model) =>
    model.metrics
      .filter(
        (m) => m.verdict === "regressed" && m.changePercent !== null && Math.abs(m.changePercent) > thresholdPercent,
      )
      .map((metric) => ({ model, metric })),
  );
}
