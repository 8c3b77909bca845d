/** Ordinary least squares y = intercept + slope × x, with the coefficient of determination. */
export interface LinearFit {
  n: number;
  intercept: number;
  slope: number;
  /** 1 − SS_res / SS_tot; 1 when every y is equal (a flat line explains it fully). */
  r2: number;
}

/** Null when fewer than two points or when every x is the same (no slope can be fitted). */
export function linearFit(points: { x: number; y: number }[]): LinearFit | null {
  const n = points.length;
  if (n < 2) return null;
  const meanX = points.reduce((sum, p) => sum + p.x, 0) / n;
  const meanY = points.reduce((sum, p) => sum + p.y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const p of points) {
    sxx += (p.x - meanX) ** 2;
    sxy += (p.x - meanX) * (p.y - meanY);
    syy += (p.y - meanY) ** 2;
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  const intercept = meanY - slope * meanX;
  let ssRes = 0;
  for (const p of points) ssRes += (p.y - (intercept + slope * p.x)) ** 2;
  const r2 = syy === 0 ? 1 : 1 - ssRes / syy;
  return { n, intercept, slope, r2 };
}
