/**
 * The share of what load and inference took that came back after cleanup (CleanupResult.releasedFraction):
 * releasedBytes / (peak during load + inference − the load baseline), clamped to [0, 1]. When nothing was
 * taken (peak ≤ baseline) nothing can be missing, so the fraction is 1.
 */
export function cleanupFraction(releasedBytes: number, peakRssBytes: number, baselineRssBytes: number): number {
  const taken = peakRssBytes - baselineRssBytes;
  if (taken <= 0) return 1;
  return Math.min(1, Math.max(0, releasedBytes / taken));
}
