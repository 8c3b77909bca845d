import type { ModelInfo } from "../gguf/modelInfo.ts";
import type { ModelResult } from "../results/types.ts";
import { estimateMemory } from "./estimateMemory.ts";
import type { EstimateTensor } from "./weightMemory.ts";

export interface MeasuredComparisonRow {
  contextSize: number;
  predictedBytes: number;
  /** Peak RSS of the child while that context existed. */
  measuredPeakRssBytes: number;
  /** (predicted − measured) / measured × 100. */
  errorPercent: number;
  /** How much more glibc may keep of freed work buffers (MemoryEstimate.allocatorRetentionBytes). */
  allocatorRetentionBytes: number;
  /**
   * The error once glibc's possible retention is allowed for: 0 when the measured peak lies between the prediction
   * and the prediction + allocatorRetentionBytes, else the signed distance to the nearer end as a percentage of the
   * measured peak (positive: predicted above measured).
   */
  errorBeyondRetentionPercent: number;
}

/**
 * The estimate for a measured case, made with that case's own settings, its own measured pre-load RSS as the
 * runtime baseline and the prompt length it really used, beside the peak RSS measured at each context. No rows
 * when the KV cache cannot be predicted.
 */
export function compareWithMeasured(
  info: ModelInfo,
  tensors: EstimateTensor[],
  model: ModelResult,
  repackTypes: readonly string[],
): MeasuredComparisonRow[] {
  const measured = model.contexts.flatMap((c) =>
    c.status === "ok" && c.peakRssBytes !== null ? [{ ...c, peakRssBytes: c.peakRssBytes }] : [],
  );
  const baseline = model.load?.before.vmRssBytes;
  if (measured.length === 0 || !baseline) return [];
  const prompts = new Map(measured.map((c) => [c.contextSize, c.promptTokens]));
  const estimates = estimateMemory(
    info,
    tensors,
    measured.map((c) => c.contextSize),
    {
      kvCacheType: model.settings.kvCacheType,
      flashAttention: model.settings.flashAttention,
      batchSize: model.settings.batchSize,
      mmap: model.settings.mmap,
    },
    { repackTypes, runtimeBaselineBytes: baseline },
    (contextSize) => prompts.get(contextSize) ?? contextSize,
  );
  return measured.flatMap((context, i) => {
    const estimate = estimates[i];
    const predictedBytes = estimate?.totalBytes;
    if (!estimate || predictedBytes === null || predictedBytes === undefined) return [];
    const measured = context.peakRssBytes;
    const upper = predictedBytes + estimate.allocatorRetentionBytes;
    const beyond = measured > upper ? upper - measured : measured < predictedBytes ? predictedBytes - measured : 0;
    return {
      contextSize: context.contextSize,
      predictedBytes,
      measuredPeakRssBytes: measured,
      errorPercent: ((predictedBytes - measured) / measured) * 100,
      allocatorRetentionBytes: estimate.allocatorRetentionBytes,
      errorBeyondRetentionPercent: (beyond / measured) * 100,
    };
  });
}
