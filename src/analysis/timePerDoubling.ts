import type { ModelResult } from "../results/types.ts";

/**
 * How much the response time grows each time the context doubles: the geometric mean of the ratios of
 * successive OK contexts' total time, each ratio normalised to one doubling (ratio^(1 / log2(size ratio)))
 * so that a sweep that skips a size still counts per doubling.
 */
export interface TimeScaling {
  /** Number of successive pairs used. */
  pairs: number;
  factorPerDoubling: number;
}

export function timePerDoubling(model: ModelResult): TimeScaling | null {
  const ok = model.contexts
    .flatMap((c) => (c.status === "ok" ? [{ size: c.contextSize, ms: c.totalMs }] : []))
    .sort((a, b) => a.size - b.size);
  let logSum = 0;
  let pairs = 0;
  for (let i = 1; i < ok.length; i++) {
    const prev = ok[i - 1];
    const next = ok[i];
    if (!prev || !next || next.size === prev.size || prev.ms <= 0 || next.ms <= 0) continue;
    logSum += Math.log(next.ms / prev.ms) / Math.log2(next.size / prev.size);
    pairs++;
  }
  return pairs === 0 ? null : { pairs, factorPerDoubling: Math.exp(logSum / pairs) };
}
