import { median } from "./summary.ts";

/**
 * Modified z-score threshold of Iglewicz & Hoaglin, "How to Detect and Handle Outliers" (ASQC Basic
 * References in Quality Control, vol. 16, 1993): |M| > 3.5 is a potential outlier.
 */
export const MODIFIED_Z_THRESHOLD = 3.5;
/** 1 / Φ⁻¹(0.75) ≈ 1.4826: makes the MAD estimate the standard deviation of normal data. */
export const MAD_TO_SD = 1.4826;
/** √(π/2) ≈ 1.253314: the same for the mean absolute deviation, used when the MAD is 0 (IBM SPSS's rule). */
export const MEAN_AD_TO_SD = 1.253314;

/**
 * |x − median| / (1.4826 · MAD) per value. When more than half the values are equal the MAD is 0; then the
 * mean absolute deviation around the median stands in (× 1.253314). All-equal values score 0.
 */
export function modifiedZScores(values: readonly number[]): number[] {
  if (values.length === 0) return [];
  const m = median(values);
  const deviations = values.map((v) => Math.abs(v - m));
  const mad = median(deviations);
  let scale = MAD_TO_SD * mad;
  if (scale === 0) scale = MEAN_AD_TO_SD * (deviations.reduce((a, b) => a + b, 0) / deviations.length);
  if (scale === 0) return values.map(() => 0);
  return deviations.map((d) => d / scale);
}

/** Indices of the values whose modified z-score exceeds the threshold. Flag them; never drop them silently. */
export function findOutliers(values: readonly number[], threshold = MODIFIED_Z_THRESHOLD): number[] {
  const indices: number[] = [];
  modifiedZScores(values).forEach((score, i) => {
    if (score > threshold) indices.push(i);
  });
  return indices;
}
