import { studentTQuantile, studentTTwoSidedP } from "./studentT.ts";

/** What Welch's test needs of each sample: its size, mean and sample standard deviation (n − 1). */
export interface SampleMoments {
  n: number;
  mean: number;
  sd: number;
}

export interface WelchResult {
  /** mean(b) − mean(a): positive when b is larger. */
  meanDifference: number;
  standardError: number;
  /** (mean(b) − mean(a)) / standardError. */
  t: number;
  /** Welch–Satterthwaite degrees of freedom (fractional). */
  df: number;
  /** Two-sided p-value. */
  p: number;
  /** 95% confidence interval of mean(b) − mean(a). */
  ci95Low: number;
  ci95High: number;
}

/**
 * Welch's unequal-variances t-test of b against a. Returns null when it cannot be computed: fewer than two
 * values on a side (no variance estimate) or no variance at all on both sides (the t statistic would be a
 * division by zero, and "significant" would then only mean "deterministic", which is not what callers ask).
 * Works from moments so runs that kept only their summaries can still be compared.
 */
export function welchTest(a: SampleMoments, b: SampleMoments): WelchResult | null {
  if (a.n < 2 || b.n < 2) return null;
  const va = (a.sd * a.sd) / a.n;
  const vb = (b.sd * b.sd) / b.n;
  const se2 = va + vb;
  if (!(se2 > 0)) return null;
  const standardError = Math.sqrt(se2);
  const meanDifference = b.mean - a.mean;
  const t = meanDifference / standardError;
  const df = (se2 * se2) / ((va * va) / (a.n - 1) + (vb * vb) / (b.n - 1));
  const p = studentTTwoSidedP(t, df);
  const half = studentTQuantile(0.975, df) * standardError;
  return { meanDifference, standardError, t, df, p, ci95Low: meanDifference - half, ci95High: meanDifference + half };
}

/** Mean and sample standard deviation of raw values, for welchTest. */
export function sampleMoments(values: readonly number[]): SampleMoments {
  const n = values.length;
  if (n === 0) return { n: 0, mean: Number.NaN, sd: Number.NaN };
  const mean = values.reduce((s, v) => s + v, 0) / n;
  if (n === 1) return { n, mean, sd: 0 };
  const ss = values.reduce((s, v) => s + (v - mean) * (v - mean), 0);
  return { n, mean, sd: Math.sqrt(ss / (n - 1)) };
}
