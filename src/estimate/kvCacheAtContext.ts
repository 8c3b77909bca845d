import { type KvCacheBytes, type KvCells, kvCacheBytes, kvCells } from "../gguf/kvCacheBytes.ts";
import type { ModelInfo } from "../gguf/modelInfo.ts";
import type { KvCacheType } from "../results/types.ts";
import { paddedContextSize } from "./paddedContextSize.ts";

export interface KvSettings {
  kvCacheType: KvCacheType;
  flashAttention: boolean;
  /** n_batch as gguf-bench passes it to node-llama-cpp. */
  batchSize: number;
}

export type KvCacheAtContext =
  | { known: true; cells: KvCells; bytes: KvCacheBytes; ubatch: number }
  | { known: false; reason: string };

/**
 * The micro-batch llama.cpp runs with: node-llama-cpp 3.21.1 adds one token to the batch of a model whose
 * `attention.sliding_window` is set and below its training context (LlamaContext: "+1 to handle edge cases with
 * SWA KV cache"; GgufInsights.swaSize), sets n_ubatch = n_batch, and llama.cpp caps both at the context.
 */
export function llamaUbatch(info: ModelInfo, batchSize: number, contextCells: number): number {
  const window = info.slidingWindow;
  const swaSize = window !== null && window > 0 && (info.contextLength === null || window < info.contextLength);
  return Math.min(batchSize + (swaSize ? 1 : 0), contextCells);
}

/**
 * The KV cache (and recurrent state) llama.cpp allocates for one sequence of `contextSize` tokens, from the
 * per-layer layout in `info.kvCache`; results written before it existed fall back to kvBytesPerToken × cells.
 * Unknown (with the reason) when the header cannot tell — never 0.
 */
export function kvCacheAtContext(info: ModelInfo, contextSize: number, settings: KvSettings): KvCacheAtContext {
  const contextCells = paddedContextSize(contextSize);
  const ubatch = llamaUbatch(info, settings.batchSize, contextCells);
  const layout = info.kvCache;
  if (layout?.status === "unknown") return { known: false, reason: layout.reason };
  if (layout?.status === "known") {
    const cells = kvCells(layout, contextCells, ubatch);
    return {
      known: true,
      cells,
      ubatch,
      bytes: kvCacheBytes(layout, cells, settings.kvCacheType, settings.flashAttention),
    };
  }
  const perToken = info.kvBytesPerToken?.[settings.kvCacheType];
  if (perToken === undefined) return { known: false, reason: "the model's KV heads or head size are not known" };
  const fullBytes = perToken * contextCells;
  return {
    known: true,
    cells: { full: contextCells, slidingWindow: 0 },
    ubatch,
    bytes: { fullBytes, slidingWindowBytes: 0, recurrentBytes: 0, totalBytes: fullBytes },
  };
}

/**
 * The KV cache's growth per token over `contexts` (least-squares slope of its size at each): what a fit of memory
 * against context should find on top of the compute buffers. Sliding-window layers stop growing past their window,
 * so the slope depends on the contexts. Null when the cache is unknown or fewer than two distinct contexts.
 */
export function kvSlopeBytesPerToken(info: ModelInfo, contexts: number[], settings: KvSettings): number | null {
  const points: { x: number; y: number }[] = [];
  for (const context of contexts) {
    const kv = kvCacheAtContext(info, context, settings);
    if (!kv.known) return null;
    points.push({ x: context, y: kv.bytes.totalBytes });
  }
  const n = points.length;
  const meanX = points.reduce((sum, p) => sum + p.x, 0) / n;
  const meanY = points.reduce((sum, p) => sum + p.y, 0) / n;
  const sxx = points.reduce((sum, p) => sum + (p.x - meanX) ** 2, 0);
  if (n < 2 || sxx === 0) return null;
  return points.reduce((sum, p) => sum + (p.x - meanX) * (p.y - meanY), 0) / sxx;
}
