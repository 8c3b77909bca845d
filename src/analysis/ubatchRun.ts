import { llamaUbatch } from "../estimate/kvCacheAtContext.ts";
import { kvCells } from "../gguf/kvCacheBytes.ts";
import type { ModelInfo } from "../gguf/modelInfo.ts";
import type { CaseSettings } from "../results/types.ts";

/**
 * The micro-batch (n_ubatch) llama.cpp really ran a case with, before its cap at the context: node-llama-cpp
 * 3.21.1 sets n_ubatch = n_batch and adds 1 for a model with a sliding window below its training context
 * (LlamaContext: "+1 to handle edge cases with SWA KV cache"; llamaUbatch in src/estimate/kvCacheAtContext.ts);
 * llama-server takes --ubatch-size as given; null for an outside server (openai), whose settings are its own.
 */
export function ubatchRun(info: ModelInfo, settings: Pick<CaseSettings, "engine" | "batchSize" | "ubatchSize">) {
  if (settings.engine === "openai") return null;
  if (settings.engine === "llama-server") return settings.ubatchSize;
  return llamaUbatch(info, settings.batchSize, Number.MAX_SAFE_INTEGER);
}

/**
 * Cells the sliding-window layers' cache holds at most with micro-batch `ubatch` (window + n_ubatch, padded to 256:
 * kvCells, src/gguf/kvCacheBytes.ts; fewer when the context is smaller); null without sliding-window layers.
 */
export function slidingWindowCells(info: ModelInfo, ubatch: number): number | null {
  const layout = info.kvCache;
  if (layout?.status !== "known" || layout.slidingWindow === null) return null;
  return kvCells(layout, Number.MAX_SAFE_INTEGER, ubatch).slidingWindow;
}
