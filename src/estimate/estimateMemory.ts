import type { ModelInfo } from "../gguf/modelInfo.ts";
import type { KvCacheType } from "../results/types.ts";
import { type ComputeShape, computeBufferBytes, workBufferBytes } from "./computeMemory.ts";
import { kvCacheAtContext } from "./kvCacheAtContext.ts";
import { paddedContextSize } from "./paddedContextSize.ts";
import { type EstimateTensor, weightMemory } from "./weightMemory.ts";

export interface EstimateSettings {
  kvCacheType: KvCacheType;
  flashAttention: boolean;
  /** n_batch; node-llama-cpp sets n_ubatch to the same value. */
  batchSize: number;
  mmap: boolean;
}

export interface MachineTraits {
  /** ggml types repacked on this CPU (cpuRepackTypes()). */
  repackTypes: readonly string[];
  /** RSS of the benchmark's child before it loads a model (node, node-llama-cpp and llama.cpp loaded). */
  runtimeBaselineBytes: number;
}

/** Predicted resident memory of the benchmark's child process with one context of `contextSize`. */
export interface MemoryEstimate {
  contextSize: number;
  /** Cells llama.cpp allocates (the context rounded up as node-llama-cpp does). */
  kvCells: number;
  /** Cells of the sliding-window layers' cache (about window + n_ubatch, padded); null without such layers. */
  slidingWindowCells: number | null;
  /** n_ubatch llama.cpp runs with (node-llama-cpp adds one for sliding-window models). */
  ubatch: number;
  runtimeBaselineBytes: number;
  /** Weights mapped from the file (page cache, RssFile), including weightsLoadOnlyMappedBytes. */
  weightsFileBackedBytes: number;
  /**
   * The mapped pages of repacked tensors inside the mapped span: read once while loading, never again (the repacked
   * copy is used), so the kernel can drop them freely. Part of weightsFileBackedBytes and of totalBytes (they are
   * resident at the peak unless memory is short), not of requiredBytes.
   */
  weightsLoadOnlyMappedBytes: number;
  /** Weights in the process's own memory: the repacked copies with mmap, every weight without. */
  weightsAnonymousBytes: number;
  /** Tokenizer tables and model bookkeeping on both sides of the binding. */
  modelOverheadBytes: number;
  /** KV cache + recurrent state; null when the header cannot tell (the reason is in kvUnknownReason). */
  kvCacheBytes: number | null;
  kvUnknownReason: string | null;
  /**
   * Compute buffer llama.cpp reserves for the worst ubatch (address space; only the used part is resident). null
   * when the header has no head count (llama.cpp cannot build the graph; the KV cache is unknown then too).
   */
  computeReservedBytes: number | null;
  /** Compute + work buffers touched while the prompt fills the context (resident); null as computeReservedBytes. */
  computeResidentBytes: number | null;
  /** Output (logits) buffer, thread pool and per-context bookkeeping. */
  contextOverheadBytes: number;
  /** Sum of the resident parts: the expected peak RSS while generating at this context; null when the KV cache or the compute buffer is unknown. */
  totalBytes: number | null;
  /**
   * What must stay resident: totalBytes minus weightsLoadOnlyMappedBytes; "Fits" is judged on it. null when the
   * KV cache is unknown.
   */
  requiredBytes: number | null;
  /**
   * At most this much more can stay resident on glibc: the work buffers the prompt's ubatches outgrew and freed
   * (see allocatorRetentionBound). Not in totalBytes: whether it stays depends on the process's allocation history.
   */
  allocatorRetentionBytes: number;
}

/**
 * glibc's largest dynamic mmap threshold on 64-bit (DEFAULT_MMAP_THRESHOLD_MAX, malloc/malloc.c): freeing a
 * mapped chunk raises the threshold to its size up to this, and later allocations below the threshold come from the
 * heap, where a freed chunk stays resident (only the heap's top is trimmed).
 */
export const GLIBC_MMAP_THRESHOLD_MAX_BYTES = 32 * 1024 * 1024;

/**
 * Fixed costs measured on node-llama-cpp 3.21.1 / llama.cpp CPU (x86-64, Linux). The model's bookkeeping grows
 * with the tokenizer: token text, scores and lookup maps in llama.cpp and in node-llama-cpp's parsed header, and for
 * a BPE tokenizer its merge ranks. Calibrated (session 6, peak RSS minus the pre-load RSS minus the weights, FA on,
 * 512 tokens) on synthesised SentencePiece vocabularies of 16K–262K tokens (11 runs; least squares 0.70 KiB per
 * token, ±20 MiB of V8 heap timing per run) and gemma-3-1b's 262K (0.6 KiB): about 0.65 KiB per token on top of
 * 8 MiB. Byte-level BPE files with 1K against 100K–255K merges, same vocabulary, peak RSS: +69 MiB and +129 MiB
 * for 127K and 255K merges, +52 MiB for 128K, +37 to +45 MiB for 100K (five runs, 0.37–0.54 KiB per merge): about
 * 0.46 KiB per merge. A context adds about 6 MiB + 4 bytes per token besides its buffers.
 */
export const MODEL_OVERHEAD_FIXED_BYTES = 8 * 1024 * 1024;
export const MODEL_OVERHEAD_PER_VOCAB_TOKEN_BYTES = 0.65 * 1024;
export const MODEL_OVERHEAD_PER_MERGE_BYTES = 0.46 * 1024;
export const CONTEXT_OVERHEAD_BYTES = 6 * 1024 * 1024;
export const CONTEXT_OVERHEAD_PER_VOCAB_TOKEN_BYTES = 4;

/**
 * The model's bookkeeping (whole bytes): MODEL_OVERHEAD_FIXED_BYTES + per token of `tokenizer.ggml.tokens` (the
 * vocabulary size when the array is absent) + per BPE merge. Constants and their calibration above.
 */
export function modelBookkeepingBytes(info: Pick<ModelInfo, "vocabSize" | "tokenizer">): number {
  const tokens = info.tokenizer?.tokenCount ?? info.vocabSize ?? 0;
  const merges = info.tokenizer?.mergeCount ?? 0;
  return Math.round(
    MODEL_OVERHEAD_FIXED_BYTES +
      MODEL_OVERHEAD_PER_VOCAB_TOKEN_BYTES * tokens +
      MODEL_OVERHEAD_PER_MERGE_BYTES * merges,
  );
}

/**
 * Memory predicted from the header alone, per context size: what llama.cpp needs (totalBytes), and apart from it
 * how much more glibc may keep of the work buffers the prompt outgrew (allocatorRetentionBytes; see
 * allocatorRetentionBound). `promptTokens(contextSize)` is how many tokens the
 * prompt puts in the context (default: full); the compute buffer is resident only as far as the ubatches of that
 * prompt reach.
 */
export function estimateMemory(
  info: ModelInfo,
  tensors: EstimateTensor[],
  contexts: number[],
  settings: EstimateSettings,
  machine: MachineTraits,
  promptTokens: (contextSize: number) => number = (contextSize) => contextSize,
): MemoryEstimate[] {
  const weights = weightMemory(tensors, settings.mmap, machine.repackTypes);
  const vocab = info.vocabSize ?? 0;
  const modelOverheadBytes = modelBookkeepingBytes(info);
  const shape = computeShape(info, settings.flashAttention);
  return contexts.map((contextSize): MemoryEstimate => {
    const kvCells = paddedContextSize(contextSize);
    const kv = kvCacheAtContext(info, contextSize, settings);
    const ubatch = kv.known ? kv.ubatch : Math.min(settings.batchSize, kvCells);
    const swaCells = kv.known && kv.cells.slidingWindow > 0 ? kv.cells.slidingWindow : null;
    // The compute graph's sizes follow the head count: without it they are unknown, never a figure for 0 heads.
    const computeKnown = shape.heads > 0;
    const computeReservedBytes = computeKnown
      ? computeBufferBytes(shape, kvCells, ubatch, ubatch, swaCells ?? 0)
      : null;
    const prompt = Math.min(promptTokens(contextSize), kvCells);
    const compute = computeKnown ? residentCompute(shape, prompt, ubatch, swaCells) : null;
    const computeResidentBytes = compute?.residentBytes ?? null;
    const contextOverheadBytes = CONTEXT_OVERHEAD_BYTES + vocab * CONTEXT_OVERHEAD_PER_VOCAB_TOKEN_BYTES;
    const kvCacheBytes = kv.known ? kv.bytes.totalBytes : null;
    const totalBytes =
      kvCacheBytes === null || computeResidentBytes === null
        ? null
        : machine.runtimeBaselineBytes +
          weights.fileBackedBytes +
          weights.anonymousBytes +
          modelOverheadBytes +
          kvCacheBytes +
          computeResidentBytes +
          contextOverheadBytes;
    return {
      contextSize,
      kvCells,
      slidingWindowCells: swaCells,
      ubatch,
      runtimeBaselineBytes: machine.runtimeBaselineBytes,
      weightsFileBackedBytes: weights.fileBackedBytes,
      weightsLoadOnlyMappedBytes: weights.loadOnlyMappedBytes,
      weightsAnonymousBytes: weights.anonymousBytes,
      modelOverheadBytes,
      kvCacheBytes,
      kvUnknownReason: kv.known ? null : kv.reason,
      computeReservedBytes,
      computeResidentBytes,
      contextOverheadBytes,
      totalBytes,
      requiredBytes: totalBytes === null ? null : totalBytes - weights.loadOnlyMappedBytes,
      allocatorRetentionBytes: compute ? allocatorRetentionBound(compute.freedWorkBytes) : 0,
    };
  });
}

/**
 * Upper bound of the freed work buffers glibc can keep resident: ggml-cpu grows its work buffer when a graph needs
 * more (ggml-cpu.cpp: `delete[] work_data; work_data = new uint8_t[work_size]`), so a prompt whose ubatches attend
 * to ever more cells frees every smaller buffer. Each freed buffer up to GLIBC_MMAP_THRESHOLD_MAX_BYTES may have come
 * from the heap (once glibc's dynamic threshold has risen above it) and then stays resident; larger ones are always
 * mapped and returned. Measured (llama 25M shape, Q4_K_M, no flash attention, 2026-12-01): the prompt phase held
 * +17.8 MiB at 2,048 and +52.7 MiB at 4,096 tokens beyond the buffers, bounds 24 and 112 MiB; with
 * GLIBC_TUNABLES=glibc.malloc.mmap_threshold=131072 (a fixed threshold) it matched the buffers within 0.3 MiB.
 */
export function allocatorRetentionBound(freedWorkBytes: readonly number[]): number {
  return freedWorkBytes.filter((bytes) => bytes <= GLIBC_MMAP_THRESHOLD_MAX_BYTES).reduce((sum, b) => sum + b, 0);
}

/**
 * The largest compute + work footprint over the ubatches that evaluate a prompt of `prompt` tokens: each ubatch
 * attends to the cells used so far, rounded up to 256 as llama.cpp does; only the last token's logits are asked
 * for, so the full-vocabulary output phase of the reservation is never touched.
 */
function residentCompute(
  shape: ComputeShape,
  prompt: number,
  ubatch: number,
  swaCells: number | null,
): { residentBytes: number; freedWorkBytes: number[] } {
  // Both buffers keep every page any ubatch touched, so each contributes its own largest footprint.
  let compute = 0;
  let work = 0;
  const freedWorkBytes: number[] = [];
  for (let start = 0; start < prompt; start += ubatch) {
    const tokens = Math.min(ubatch, prompt - start);
    const cells = paddedContextSize(start + tokens);
    const swa = swaCells === null ? 0 : Math.min(cells, swaCells);
    compute = Math.max(compute, computeBufferBytes(shape, cells, tokens, 1, swa));
    const needed = workBufferBytes(shape, cells, tokens, swa);
    // The work buffer is replaced by a larger one when a ubatch needs more: the smaller one is freed.
    if (needed > work && work > 0) freedWorkBytes.push(work);
    work = Math.max(work, needed);
  }
  return { residentBytes: compute + work, freedWorkBytes };
}

function computeShape(info: ModelInfo, flashAttention: boolean): ComputeShape {
  const embedding = info.embeddingLength ?? 0;
  const heads = info.headCount ?? 0;
  const kvHeads = info.headCountKv ?? heads;
  const headDim = info.headDim ?? (heads > 0 ? embedding / heads : 0);
  return {
    embedding,
    feedForward: info.feedForwardLength ?? 0,
    heads,
    kvWidth: kvHeads * headDim,
    vocab: info.vocabSize ?? 0,
    expertUsedCount: info.moe?.expertUsedCount ?? 0,
    flashAttention,
    fullAttention: info.kvCache?.status !== "known" || info.kvCache.full.layers > 0 || !info.kvCache.slidingWindow,
  };
}
