import { kvSlopeBytesPerToken } from "../estimate/kvCacheAtContext.ts";
import type { ModelResult } from "../results/types.ts";
import { linearFit } from "./linearFit.ts";
import { engineLimitReason } from "./notMeasured.ts";

/** memory = base + slope × context tokens, fitted over the contexts that ran OK, beside the KV-cache slope the metadata predicts. */
export type MemoryFit =
  | {
      kind: "fit";
      /** Number of OK contexts fitted. */
      n: number;
      baseBytes: number;
      slopeBytesPerToken: number;
      r2: number;
      /**
       * The KV cache's growth per token over the same contexts, as llama.cpp allocates it for the case's settings
       * (sliding-window layers stop growing at their window); null when the metadata cannot predict it.
       */
      predictedKvBytesPerToken: number | null;
      /** Why there is no prediction (e.g. the head count is missing); null when there is one. */
      predictedKvUnknownReason: string | null;
      /** (fitted − predicted) / predicted × 100; null without a prediction. */
      differencePercent: number | null;
    }
  | {
      kind: "none";
      n: number;
      reason: string;
      predictedKvBytesPerToken: number | null;
      predictedKvUnknownReason: string | null;
    };

export function memoryFit(model: ModelResult): MemoryFit {
  const points = model.contexts.flatMap((c) =>
    c.status === "ok" && c.peakRssBytes !== null ? [{ x: c.contextSize, y: c.peakRssBytes }] : [],
  );
  const { predicted, unknownReason } = predictedKvSlope(
    model,
    points.map((p) => p.x),
  );
  const fit = linearFit(points);
  if (fit === null) {
    const ran = model.contexts.filter((c) => c.status === "ok").length;
    const limit = engineLimitReason(model.settings.engine, "memory");
    const reason =
      points.length >= 2
        ? "every OK context has the same size; no slope can be fitted"
        : ran > points.length
          ? // The sizes ran, but without a memory reading (an outside server): say so, not "0 ran".
            `memory not measured at the ${ran} context size(s) that ran OK${limit ? `: ${limit}` : ""}`
          : `${points.length} context size(s) ran OK; a fit needs at least 2`;
    return {
      kind: "none",
      n: points.length,
      reason,
      predictedKvBytesPerToken: predicted,
      predictedKvUnknownReason: unknownReason,
    };
  }
  return {
    kind: "fit",
    n: fit.n,
    baseBytes: fit.intercept,
    slopeBytesPerToken: fit.slope,
    r2: fit.r2,
    predictedKvBytesPerToken: predicted,
    predictedKvUnknownReason: unknownReason,
    differencePercent: predicted ? ((fit.slope - predicted) / predicted) * 100 : null,
  };
}

/**
 * The KV slope to compare the fit with: over the fitted contexts when the results carry the per-layer layout
 * (older results: kvBytesPerToken); with fewer than two contexts, the full-attention layers' bytes per token.
 */
function predictedKvSlope(
  model: ModelResult,
  contexts: number[],
): { predicted: number | null; unknownReason: string | null } {
  const info = model.info;
  if (info.kvCache?.status === "unknown") return { predicted: null, unknownReason: info.kvCache.reason };
  const perToken = info.kvBytesPerToken?.[model.settings.kvCacheType] ?? null;
  const slope =
    info.kvCache && new Set(contexts).size >= 2 ? kvSlopeBytesPerToken(info, contexts, model.settings) : null;
  const predicted = slope ?? perToken;
  return { predicted, unknownReason: predicted === null ? "the model's KV heads or head size are not known" : null };
}

/** Memory the fit predicts at a context size; null without a fit. */
export function predictedMemoryBytes(fit: MemoryFit, contextTokens: number): number | null {
  return fit.kind === "fit" ? fit.baseBytes + fit.slopeBytesPerToken * contextTokens : null;
}
