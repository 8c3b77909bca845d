import type { LatencySummary } from "../results/types.ts";
import { summarize } from "./summary.ts";

/**
 * The p-th percentile (0 ≤ p ≤ 100) by linear interpolation between order statistics: Hyndman & Fan's type 7,
 * the default of R and NumPy (h = (n − 1)·p/100, x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋])). NaN for no values.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const h = ((sorted.length - 1) * p) / 100;
  const low = Math.floor(h);
  const lower = sorted[low] as number;
  const upper = sorted[Math.min(low + 1, sorted.length - 1)] as number;
  return lower + (h - low) * (upper - lower);
}

/** summarize() plus p50, p90 and p99 (type 7); with no values every figure is 0 and n says so. */
export function latencySummary(values: readonly number[]): LatencySummary {
  const base = summarize(values);
  if (values.length === 0) return { ...base, p50: 0, p90: 0, p99: 0 };
  return { ...base, p50: percentile(values, 50), p90: percentile(values, 90), p99: percentile(values, 99) };
}
