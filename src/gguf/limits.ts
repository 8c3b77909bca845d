/**
 * Bounds for untrusted GGUF headers. Every length and count read from a file is also checked against the bytes
 * left in the file, so these limits only cap what a well-formed but absurd file could make us allocate.
 */
export const GGUF_LIMITS = {
  /** Longest real strings are chat templates of tens of KiB; 16 MiB caps one allocation. */
  maxStringBytes: 16 * 1024 * 1024,
  /** Largest real arrays are vocabularies and merges (~260K entries); 2^24 leaves ample headroom. */
  maxArrayLength: 1 << 24,
  /** Real models carry a few dozen keys (the vocabulary is one key); 2^16 is far beyond any of them. */
  maxKvCount: 1 << 16,
  /** Big MoE models hold tens of thousands of tensors; 2^20 is far beyond any of them. */
  maxTensorCount: 1 << 20,
  /** ggml's GGML_MAX_DIMS. */
  maxDimensions: 4,
  /** ggml's GGML_MAX_NAME is 64; a little slack for odd writers. */
  maxTensorNameBytes: 256,
  /** Arrays of arrays appear (e.g. per-layer lists); deeper nesting is a crafted file. */
  maxArrayNesting: 8,
  /** The header of a model with a 260K-token vocabulary is ~20 MiB; reading more than this is not a header. */
  maxHeaderBytes: 512 * 1024 * 1024,
  /** Parts of a split model (llama.cpp's gguf-split writes at most 99999). */
  maxSplitParts: 99999,
} as const;
