/**
 * Mean and standard error of the mean from running sums, as llama-perplexity computes them
 * (tools/perplexity/perplexity.cpp, `mean_and_uncertainty`): mean = Σx / n, SE = √((Σx²/n − mean²) / (n − 1)).
 * SE is 0 when that variance comes out ≤ 0 (all values equal, or rounding), null when n < 2.
 */
export function meanAndStandardError(
  sum: number,
  sumOfSquares: number,
  count: number,
): { mean: number; standardError: number | null } {
  if (count < 1) return { mean: Number.NaN, standardError: null };
  const mean = sum / count;
  if (count < 2) return { mean, standardError: null };
  const variance = sumOfSquares / count - mean * mean;
  return { mean, standardError: variance > 0 ? Math.sqrt(variance / (count - 1)) : 0 };
}

/**
 * The `fraction` percentile of ascending `sorted` values by linear interpolation between closest ranks at
 * position fraction × (n − 1), as llama-perplexity's `percentile`; fraction 0.5 gives the median (the mean of the
 * two middle values for an even count). Throws on an empty list.
 */
export function percentile(sorted: ArrayLike<number>, fraction: number): number {
  if (sorted.length === 0) throw new RangeError("percentile of no values");
  if (fraction <= 0) return sorted[0] as number;
  if (fraction >= 1) return sorted[sorted.length - 1] as number;
  const position = fraction * (sorted.length - 1);
  const below = Math.floor(position);
  const weight = position - below;
  const above = Math.min(below + 1, sorted.length - 1);
  return (1 - weight) * (sorted[below] as number) + weight * (sorted[above] as number);
}

/** Perplexity exp(mean NLL) and its standard error by the delta method, ppl × SE(NLL) (llama-perplexity's). */
export function perplexityFromSums(
  sumNll: number,
  sumNllSquares: number,
  count: number,
): { perplexity: number; standardError: number | null } {
  const { mean, standardError } = meanAndStandardError(sumNll, sumNllSquares, count);
  const perplexity = Math.exp(mean);
  return { perplexity, standardError: standardError === null ? null : perplexity * standardError };
}
