import type { LlamaContextOptions } from "node-llama-cpp";
import type { CaseSettings } from "../results/types.ts";

export type ContextOptionsResult =
  | { status: "ok"; options: LlamaContextOptions }
  | { status: "unsupported"; reason: string };

/**
 * How node-llama-cpp 3.21.1 expresses one case's context-level settings, or why it cannot:
 * - threads        -> `threads: n` (exact, because the worker opens llama with `maxThreads: 0`)
 * - batchSize      -> `batchSize: n` (llama.cpp n_batch)
 * - ubatchSize     -> no option: the addon sets n_ubatch = n_batch (AddonContext.cpp), so only
 *                     ubatchSize === batchSize can be honoured
 * - flashAttention -> `flashAttention: true | false` (forced, never "auto")
 * - kvCacheType    -> `experimentalKvCacheKeyType` and `experimentalKvCacheValueType`: "F16" | "Q8_0"; llama.cpp
 *                     refuses a quantized V cache without flash attention, so that pair is unsupported
 * One sequence unless the concurrency stage asks for one per stream (each with `contextSize` cells), an explicit
 * size, and no automatic shrink-and-retry on failure (a failure is a result).
 */
export function contextOptionsFor(settings: CaseSettings, contextSize: number, sequences = 1): ContextOptionsResult {
  if (!Number.isInteger(settings.threads) || settings.threads < 1)
    return { status: "unsupported", reason: `threads must be a whole number ≥ 1, got ${settings.threads}` };
  if (!Number.isInteger(settings.batchSize) || settings.batchSize < 1)
    return { status: "unsupported", reason: `batch size must be a whole number ≥ 1, got ${settings.batchSize}` };
  if (settings.ubatchSize !== settings.batchSize)
    return {
      status: "unsupported",
      reason:
        `node-llama-cpp 3.21.1 always sets the micro-batch equal to the batch size, ` +
        `so ubatch ${settings.ubatchSize} with batch ${settings.batchSize} cannot be applied`,
    };
  if (settings.kvCacheType === "q8_0" && !settings.flashAttention)
    return {
      status: "unsupported",
      reason: "llama.cpp needs flash attention for a q8_0 V cache: use --flash-attention on with --kv-cache-type q8_0",
    };
  const kvType = settings.kvCacheType === "q8_0" ? "Q8_0" : "F16";
  return {
    status: "ok",
    options: {
      contextSize,
      sequences,
      threads: settings.threads,
      batchSize: settings.batchSize,
      flashAttention: settings.flashAttention,
      experimentalKvCacheKeyType: kvType,
      experimentalKvCacheValueType: kvType,
      failedCreationRemedy: false,
    },
  };
}
