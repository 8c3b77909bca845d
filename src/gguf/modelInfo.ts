import type { KvCacheLayout } from "./kvCacheLayout.ts";

/**
 * Everything gguf-bench knows about a model from its GGUF header alone (no weights read).
 * Plain serialisable data: it is written into results.json as is. Null means "not in the file".
 * Owned by the GGUF module (src/gguf/); other modules only read it.
 */
export interface ModelInfo {
  /** Path as given (first part for split models). */
  file: string;
  /** All parts of a split model in order; one entry otherwise. */
  files: string[];
  /** Sum of the sizes of all parts. */
  fileBytes: number;
  ggufVersion: number;
  architecture: string;
  /** `general.name` — untrusted text, escape before rendering. */
  name: string | null;
  /** `general.size_label` (e.g. "7B"). */
  sizeLabel: string | null;
  /** Sum of element counts over all tensors. */
  parameterCount: number;
  /** `general.file_type` as stored, or null when absent. */
  fileType: number | null;
  /** Quantization name, e.g. "Q4_0", "F16"; from file_type, or inferred from the dominant tensor type. */
  quantization: string;
  /** Tensor type name -> { count, bytes }. */
  tensorTypes: Record<string, { count: number; bytes: number }>;
  /** Bytes of tensor data (weights). */
  tensorDataBytes: number;
  contextLength: number | null;
  embeddingLength: number | null;
  blockCount: number | null;
  headCount: number | null;
  /** KV heads (max over layers when the file stores a per-layer array). */
  headCountKv: number | null;
  /** Per-layer KV head counts when the file stores an array, else null. */
  headCountKvPerLayer: number[] | null;
  /** `attention.key_length`, or embedding / heads. */
  headDim: number | null;
  /** `attention.value_length`, or headDim. */
  valueDim: number | null;
  feedForwardLength: number | null;
  vocabSize: number | null;
  /**
   * The tokenizer as stored: `tokenizer.ggml.model` (untrusted text: "llama" = SentencePiece, "gpt2" = byte-level
   * BPE, …), the length of `tokenizer.ggml.tokens` and of `tokenizer.ggml.merges` (0 without merges; null when the
   * array is absent). The memory estimate's bookkeeping term counts both. Absent in results written before it existed.
   */
  tokenizer?: { model: string | null; tokenCount: number | null; mergeCount: number };
  /** Sliding-window size when the architecture has one. */
  slidingWindow: number | null;
  rope: {
    /** n_rot = `rope.dimension_count` */
    dimensionCount: number | null;
    freqBase: number | null;
    scalingType: string | null;
    scalingFactor: number | null;
    originalContextLength: number | null;
  };
  moe: {
    expertCount: number;
    expertUsedCount: number;
    /** expertUsedCount / expertCount */
    fractionActive: number;
    /** Parameters read per token: non-expert tensors + fractionActive × expert tensors. */
    activeParameterCount: number;
  } | null;
  /**
   * Weight bytes one decode step reads, from the tensor list: MoE expert tensors count only the experts used,
   * a token-embedding table with a separate output counts one row. Absent in results written before it existed.
   */
  activeWeightBytesPerToken?: number | null;
  /**
   * KV cache bytes per token of context of the layers whose cache grows with the context (every attention layer
   * unless the model has sliding-window layers, whose cache stops at about the window; MLA counts only its
   * compressed K): Σ over those layers of n_head_kv × (key length + value length) × bytes per element.
   * Null when the header cannot tell (the reason is in `kvCache`). The whole cache at a context: kvCacheBytes().
   */
  kvBytesPerToken: { f16: number; q8_0: number } | null;
  /**
   * The cache llama.cpp keeps, layer by layer: full-attention and sliding-window groups, MLA, recurrent state; or
   * why it is unknown. Absent in results written before it existed.
   */
  kvCache?: KvCacheLayout;
}
