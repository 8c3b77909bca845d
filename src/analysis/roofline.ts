import { kvBytesReadAtDepth } from "../gguf/kvCacheBytes.ts";
import type { ModelResult, Warning } from "../results/types.ts";
import { activeWeightBytesFromInfo } from "./activeWeightBytes.ts";
import { measuredSummary } from "./notMeasured.ts";

export interface RooflinePoint {
  caseId: string;
  /** null for the inference stage, else the context size of that context-stage entry. */
  contextSize: number | null;
  /** Active weight bytes + KV cache bytes read per generated token at that depth. */
  bytesPerToken: number;
  boundTokensPerSecond: number;
  measuredTokensPerSecond: number;
  /** measured / bound; > 1 means a measurement error. */
  fraction: number;
  exceeded: boolean;
  /** The bytes read per token fit in the CPU's last-level cache: DRAM bandwidth is not the limit, no flag. */
  fitsInCache: boolean;
}

export interface RooflineOptions {
  /**
   * Weight bytes read per decode step when known per tensor (activeWeightBytesFromTensors); otherwise
   * estimated from the model info (activeWeightBytesFromInfo).
   */
  weightBytesPerToken?: number;
  /**
   * Last-level cache size: a working set this small is served from cache, faster than DRAM, so running
   * above the DRAM bound is no error there (default 0: always compare).
   */
  lastLevelCacheBytes?: number;
}

/**
 * Generation is memory-bound: each token reads the active weights once plus the KV cache so far, so
 * tokens/s ≤ bandwidth ÷ bytes per token. One point for the inference stage and one per measured context.
 * The KV depth is the mean number of tokens in the cache while generating (prompt + half the output).
 * No points when the bandwidth or the KV size per token is unknown.
 */
export function rooflineFor(
  model: ModelResult,
  bandwidthBytesPerSecond: number,
  options: RooflineOptions = {},
): RooflinePoint[] {
  const kvAtDepth = kvReadAtDepth(model);
  if (!(bandwidthBytesPerSecond > 0) || kvAtDepth === null) return [];
  const weightBytes =
    options.weightBytesPerToken ?? model.info.activeWeightBytesPerToken ?? activeWeightBytesFromInfo(model.info);
  const point = (contextSize: number | null, depthTokens: number, measured: number): RooflinePoint => {
    const bytesPerToken = weightBytes + kvAtDepth(depthTokens);
    const boundTokensPerSecond = bandwidthBytesPerSecond / bytesPerToken;
    const fraction = measured / boundTokensPerSecond;
    const fitsInCache = bytesPerToken <= (options.lastLevelCacheBytes ?? 0);
    return {
      caseId: model.caseId,
      contextSize,
      bytesPerToken,
      boundTokensPerSecond,
      measuredTokensPerSecond: measured,
      fraction,
      exceeded: fraction > 1 && !fitsInCache,
      fitsInCache,
    };
  };

  const points: RooflinePoint[] = [];
  const inference = model.inference;
  const timed = inference?.samples.filter((s) => !s.warmup && s.outputTokens > 0) ?? [];
  // n = 0 / null: generation speed not measured (an empty span), so no point to compare with the bound.
  const generation = measuredSummary(inference?.summaries.generationTokensPerSecond);
  if (generation && timed.length > 0) {
    const depth = timed.reduce((sum, s) => sum + s.promptTokens + s.outputTokens / 2, 0) / timed.length;
    points.push(point(null, depth, generation.mean));
  }
  for (const context of model.contexts) {
    if (context.status !== "ok" || context.outputTokens <= 0 || context.generationTokensPerSecond === null) continue;
    points.push(
      point(context.contextSize, context.promptTokens + context.outputTokens / 2, context.generationTokensPerSecond),
    );
  }
  return points;
}

/**
 * KV cache bytes one decode reads at a depth: per layer as llama.cpp keeps it (sliding-window layers read at most
 * their window) when the results carry the layout, else kvBytesPerToken × depth; null when unknown.
 */
function kvReadAtDepth(model: ModelResult): ((depthTokens: number) => number) | null {
  const type = model.settings.kvCacheType;
  const layout = model.info.kvCache;
  if (layout?.status === "known") return (depth) => kvBytesReadAtDepth(layout, depth, type);
  const perToken = model.info.kvBytesPerToken?.[type];
  if (layout?.status === "unknown" || perToken === undefined) return null;
  return (depth) => perToken * depth;
}

/** A warning, as data, for every point above the bound. */
export function rooflineWarnings(points: RooflinePoint[]): Warning[] {
  return points
    .filter((p) => p.exceeded)
    .map((p) => ({
      code: "roofline-exceeded",
      metric: "generationTokensPerSecond",
      message:
        `${p.caseId}${p.contextSize === null ? "" : ` at context ${p.contextSize}`}: ` +
        `${p.measuredTokensPerSecond.toFixed(1)} tokens/s is ${(p.fraction * 100).toFixed(0)}% of the ` +
        `memory-bandwidth bound (${p.boundTokensPerSecond.toFixed(1)} tokens/s): not physically possible`,
      hint: "the token count or the timing is wrong (tokens counted twice, or time not covering every decode): check the measurement",
    }));
}
