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
      /** The smallest and largest context size fitted (tokens): beyond them the fit is an extrapolation. */
      fromContextTokens: number;
      toContextTokens: number;
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
    fromContextTokens: Math.min(...points.map((p) => p.x)),
    toContextTokens: Math.max(...points.map((p) => p.x)),
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

/**
 * Why a fitted slope cannot be right, when it is negative; null otherwise. Memory cannot shrink as the context
 * grows (the KV cache grows with it), so a negative slope comes from the measurement: file-backed pages of the
 * mmap'd model evicted under memory pressure during the context stage (RSS falls), or baseline noise larger than
 * the KV growth over the sizes tried.
 */
export function negativeSlopeWarning(fit: MemoryFit): string | null {
  if (fit.kind !== "fit" || !(fit.slopeBytesPerToken < 0)) return null;
  const perK = (fit.slopeBytesPerToken * 1024) / 2 ** 30;
  return (
    `fitted slope is negative (${perK.toFixed(4)} GiB/1K tokens), which cannot be right: the KV cache grows with the ` +
    "context; likely the kernel evicted file-backed pages of the mmap'd model under memory pressure during the " +
    "context stage, or baseline noise exceeds the KV growth (try --no-mmap, larger context sizes, or a quieter " +
    "machine); not used for planning or recommendations"
  );
}

/**
 * Memory the fit predicts at a context size; null without a fit, or with a negative slope (`negativeSlopeWarning`:
 * no figure to plan with is better than one that shrinks with the context).
 */
export function predictedMemoryBytes(fit: MemoryFit, contextTokens: number): number | null {
  if (fit.kind !== "fit" || negativeSlopeWarning(fit) !== null) return null;
  return fit.baseBytes + fit.slopeBytesPerToken * contextTokens;
}

/** Why `predictedMemoryBytes` gives no figure; null when it gives one. */
export function noPlanReason(fit: MemoryFit): string | null {
  return fit.kind === "none" ? `no fit: ${fit.reason}` : negativeSlopeWarning(fit);
}
