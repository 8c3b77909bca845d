import type { KvCacheLayout } from "./kvCacheLayout.ts";

export type KnownKvCacheLayout = Extract<KvCacheLayout, { status: "known" }>;
export type KvElementType = "f16" | "q8_0";

/** Bytes per cached element: f16 is 2 bytes; q8_0 stores 32 values in 34 bytes (ggml_row_size). */
export const KV_BYTES_PER_ELEMENT: Record<KvElementType, number> = { f16: 2, q8_0: 34 / 32 };

/** llama.cpp pads the sliding-window cache to a multiple of 256 cells (llama-kv-cache-iswa.cpp). */
const SWA_CELL_PAD = 256;

export interface KvCells {
  /** Cells of the full-attention layers' cache (the context, padded). */
  full: number;
  /** Cells of the sliding-window layers' cache. */
  slidingWindow: number;
}

export interface KvCacheBytes {
  fullBytes: number;
  slidingWindowBytes: number;
  /** Recurrent state (f32), fixed whatever the context. */
  recurrentBytes: number;
  totalBytes: number;
}

/**
 * Cells llama.cpp allocates for a context of `contextCells` cells (one sequence) with micro-batch `ubatch`:
 * the sliding-window cache holds GGML_PAD(min(n_ctx, n_swa + n_ubatch), 256) (llama_kv_cache_iswa).
 */
export function kvCells(layout: KnownKvCacheLayout, contextCells: number, ubatch: number): KvCells {
  const window = layout.slidingWindow?.windowTokens ?? 0;
  const swa = Math.ceil(Math.min(contextCells, window + ubatch) / SWA_CELL_PAD) * SWA_CELL_PAD;
  return { full: contextCells, slidingWindow: layout.slidingWindow ? Math.min(contextCells, swa) : 0 };
}

/**
 * Bytes of the KV cache (and recurrent state) for the given cells. Without flash attention llama.cpp stores V
 * transposed and pads every layer's V rows to the widest layer's (llama-kv-cache.cpp, TAG_V_CACHE_VARIABLE).
 */
export function kvCacheBytes(
  layout: KnownKvCacheLayout,
  cells: KvCells,
  type: KvElementType,
  flashAttention: boolean,
): KvCacheBytes {
  const perElement = KV_BYTES_PER_ELEMENT[type];
  const groupBytes = (group: KnownKvCacheLayout["full"], groupCells: number) => {
    const v = layout.mla ? 0 : flashAttention ? group.vElementsPerToken : group.layers * layout.vElementsMaxPerLayer;
    return groupCells * (group.kElementsPerToken + v) * perElement;
  };
  const fullBytes = groupBytes(layout.full, cells.full);
  const slidingWindowBytes = layout.slidingWindow ? groupBytes(layout.slidingWindow, cells.slidingWindow) : 0;
  const recurrentBytes = layout.recurrent?.stateBytes ?? 0;
  return { fullBytes, slidingWindowBytes, recurrentBytes, totalBytes: fullBytes + slidingWindowBytes + recurrentBytes };
}

/** KV bytes per token of the layers whose cache grows with the context (the full-attention layers). */
export function fullKvBytesPerToken(layout: KnownKvCacheLayout): Record<KvElementType, number> {
  const elements = layout.full.kElementsPerToken + layout.full.vElementsPerToken;
  return { f16: elements * KV_BYTES_PER_ELEMENT.f16, q8_0: elements * KV_BYTES_PER_ELEMENT.q8_0 };
}

/**
 * Bytes of cache one decode step reads at `depthTokens` tokens of context: every full-attention cell so far, the
 * sliding-window layers' last `window` cells, and the recurrent state.
 */
export function kvBytesReadAtDepth(layout: KnownKvCacheLayout, depthTokens: number, type: KvElementType): number {
  const window = layout.slidingWindow?.windowTokens ?? 0;
  return kvCacheBytes(layout, { full: depthTokens, slidingWindow: Math.min(depthTokens, window) }, type, true)
    .totalBytes;
}
