import type { Summary } from "../results/types.ts";
import { studentTQuantile } from "./studentT.ts";

/** The confidence level of every interval gguf-bench reports. */
export const CONFIDENCE_LEVEL = 0.95;

/**
 * Median of the values. For an even count it is the mean of the two middle values, which is also the 50th
 * percentile by linear interpolation between order statistics (Hyndman & Fan type 7, R's and NumPy's default).
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[mid] as number;
  return ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * n, mean, sample standard deviation (n − 1 in the denominator), min, max, median, the 95% confidence
 * interval of the mean from Student's t with n − 1 degrees of freedom, and CV = sd / mean.
 * With n = 1 the spread is unknown: sd and cv are 0 and the interval collapses to the value (n says why).
 * With n = 0 every figure is 0 and n says so.
 */
export function summarize(values: readonly number[]): Summary {
  const n = values.length;
  if (n === 0) return { n: 0, mean: 0, sd: 0, min: 0, max: 0, median: 0, ci95Low: 0, ci95High: 0, cv: 0 };
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = sum / n;
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  const sd = n > 1 ? Math.sqrt(squares / (n - 1)) : 0;
  const halfWidth = n > 1 ? studentTQuantile(1 - (1 - CONFIDENCE_LEVEL) / 2, n - 1) * (sd / Math.sqrt(n)) : 0;
  return {
    n,
    mean,
    sd,
    min,
    max,
    median: median(values),
    ci95Low: mean - halfWidth,
    ci95High: mean + halfWidth,
    cv: mean === 0 ? 0 : sd / mean,
  };
}
