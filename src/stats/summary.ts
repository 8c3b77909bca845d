import type { Summary } from "../results/types.ts";
import { studentTQuantile } from "./studentT.ts";

/** The confidence level of every interval gguf-bench reports. */
export const CONFIDENCE_LEVEL = 0.95;

/** How `summarize` computes the interval, in one sentence: every report and the README say this, no other. */
export const CI_METHOD_TEXT =
  "95% confidence interval of the mean on the log scale by the modified Cox method (Olsson 2005) when every value is positive, so it stays positive; Student's t with n − 1 degrees of freedom otherwise (a zero or negative value, or results recorded before 2026-11-30); `ciMethod` in results.json says which";

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
 * n, mean, sample standard deviation (n − 1 in the denominator), min, max, median, CV = sd / mean, and the 95%
 * confidence interval of the mean. Every value positive (times, speeds, bytes): the interval is computed on
 * the log scale by the modified Cox method, so it stays positive and is wider above the mean than below, as
 * positive, right-skewed timings are (see logNormalMeanInterval). Otherwise Student's t with n − 1 degrees of
 * freedom; `ciMethod` says which.
 * With n = 1 the spread is unknown: sd and cv are 0 and the interval collapses to the value (n says why).
 * With n = 0 every figure is 0 and n says so.
 */
export function summarize(values: readonly number[]): Summary {
  const n = values.length;
  if (n === 0)
    return { n: 0, mean: 0, sd: 0, min: 0, max: 0, median: 0, ci95Low: 0, ci95High: 0, ciMethod: "t", cv: 0 };
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
  const positive = min > 0;
  let interval: { low: number; high: number };
  if (positive) interval = logNormalMeanInterval(values);
  else {
    const halfWidth = n > 1 ? studentTQuantile(1 - (1 - CONFIDENCE_LEVEL) / 2, n - 1) * (sd / Math.sqrt(n)) : 0;
    interval = { low: mean - halfWidth, high: mean + halfWidth };
  }
  return {
    n,
    mean,
    sd,
    min,
    max,
    median: median(values),
    ci95Low: interval.low,
    ci95High: interval.high,
    ciMethod: positive ? "log-cox" : "t",
    cv: mean === 0 ? 0 : sd / mean,
  };
}

/**
 * 95% confidence interval of the arithmetic mean of positive values, by the modified Cox method (Olsson 2005,
 * "Confidence Intervals for the Mean of a Log-Normal Distribution", Journal of Statistics Education 13(1);
 * Cox's method as in Zhou & Gao 1997, with t instead of z quantiles, which Olsson's simulations favour at small n):
 * with y = ln x, mean ȳ and sample variance s² (n − 1),
 *   ln(mean) ≈ ȳ + s²/2,  SE = √(s²/n + s⁴ / (2(n − 1))),  interval = exp(ȳ + s²/2 ± t(0.975, n − 1) · SE).
 * Being an exponential, it is always positive: three runs of a speed never give a negative lower bound (the
 * plain t interval gave "−2.10 – 10.11 tokens/s" for a 7B on a busy machine). Needs every value > 0; n = 1
 * (or no spread) collapses to the value.
 */
export function logNormalMeanInterval(values: readonly number[]): { low: number; high: number } {
  const n = values.length;
  const first = values[0] as number;
  // One value, or all alike: no spread to build an interval from (as with the t interval).
  if (values.every((v) => v === first)) return { low: first, high: first };
  const logs = values.map((v) => Math.log(v));
  const logMean = logs.reduce((a, b) => a + b, 0) / n;
  const s2 = logs.reduce((a, y) => a + (y - logMean) ** 2, 0) / (n - 1);
  const centre = logMean + s2 / 2;
  const se = Math.sqrt(s2 / n + (s2 * s2) / (2 * (n - 1)));
  const t = studentTQuantile(1 - (1 - CONFIDENCE_LEVEL) / 2, n - 1);
  return { low: Math.exp(centre - t * se), high: Math.exp(centre + t * se) };
}
