/**
 * node-llama-cpp 3.21.1 rounds the context up to a multiple of 256 (`contextSizePad`, after llama.cpp's own
 * GGML_PAD of the KV cache) before llama.cpp allocates it: a 1000-token context holds 1024 cells.
 */
export const CONTEXT_SIZE_PAD = 256;

export function paddedContextSize(contextSize: number): number {
  const size = Math.max(2, Math.ceil(contextSize));
  return Math.ceil(size / CONTEXT_SIZE_PAD) * CONTEXT_SIZE_PAD;
}
