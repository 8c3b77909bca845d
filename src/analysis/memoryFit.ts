import type { ModelResult } from "../results/types.ts";
import { linearFit } from "./linearFit.ts";

/** memory = base + slope × context tokens, fitted over the contexts that ran OK, beside the KV-cache slope the metadata predicts. */
export type MemoryFit =
  | {
      kind: "fit";
      /** Number of OK contexts fitted. */
      n: number;
      baseBytes: number;
      slopeBytesPerToken: number;
      r2: number;
      /** info.kvBytesPerToken for the case's KV cache type; null when the metadata cannot predict it. */
      predictedKvBytesPerToken: number | null;
      /** (fitted − predicted) / predicted × 100; null without a prediction. */
      differencePercent: number | null;
    }
  | { kind: "none"; n: number; reason: string; predictedKvBytesPerToken: number | null };

export function memoryFit(model: ModelResult): MemoryFit {
  const points = model.contexts.flatMap((c) => (c.status === "ok" ? [{ x: c.contextSize, y: c.peakRssBytes }] : []));
  const predicted = model.info.kvBytesPerToken?.[model.settings.kvCacheType] ?? null;
  const fit = linearFit(points);
  if (fit === null) {
    const reason =
      points.length < 2
        ? `${points.length} context size(s) ran OK; a fit needs at least 2`
        : "every OK context has the same size; no slope can be fitted";
    return { kind: "none", n: points.length, reason, predictedKvBytesPerToken: predicted };
  }
  return {
    kind: "fit",
    n: fit.n,
    baseBytes: fit.intercept,
    slopeBytesPerToken: fit.slope,
    r2: fit.r2,
    predictedKvBytesPerToken: predicted,
    differencePercent: predicted ? ((fit.slope - predicted) / predicted) * 100 : null,
  };
}

/** Memory the fit predicts at a context size; null without a fit. */
export function predictedMemoryBytes(fit: MemoryFit, contextTokens: number): number | null {
  return fit.kind === "fit" ? fit.baseBytes + fit.slopeBytesPerToken * contextTokens : null;
}
