/**
 * llama.cpp's CPU compute buffer and matmul work buffer for a transformer decoder, from its graph: one ubatch of
 * `ubatch` tokens attending to `kvCells` cells. The graph allocator reuses memory between ops, so the buffer is
 * the largest of three phases (not their sum):
 *  - attention: the KQ mask (f32; f16 with flash attention) + without flash attention the KQ scores
 *    (cells × tokens × heads, f32) + the layer's live activations (≈ 5 × embedding + 2 × KV width per token);
 *  - feed-forward: the mask (still needed by later layers) + gate, up and their product (3 × ff per token, per
 *    used expert for MoE) + 4 × embedding per token (+1 without flash attention);
 *  - output: logits for every output row + 2 × embedding per token.
 * The coefficients were read off llama.cpp's own "CPU compute buffer size" for five shapes (embedding 64–2048,
 * vocab 512–32000, dense and MoE, flash attention on and off) and match it within 1.5 MiB.
 * The work buffer is where ggml-cpu converts a matmul's second operand to the weights' dot type; the largest by
 * far is the f32 KQ scores converted to f16 to multiply with the V cache (no flash attention only).
 */
export interface ComputeShape {
  embedding: number;
  feedForward: number;
  heads: number;
  /** KV heads × head dimension (the width of K or V per token). */
  kvWidth: number;
  vocab: number;
  /** 0 for a dense model. */
  expertUsedCount: number;
  flashAttention: boolean;
  /** Whether any layer attends to the whole context (false when every attention layer slides). */
  fullAttention: boolean;
}

const F32 = 4;
const F16 = 2;

/**
 * Bytes of the compute buffer for one ubatch of `tokens` tokens attending to `kvCells` cells (the full-attention
 * cache), with `outputs` logit rows. A model with sliding-window layers has a second mask over its `swaCells`.
 */
export function computeBufferBytes(
  shape: ComputeShape,
  kvCells: number,
  tokens: number,
  outputs: number,
  swaCells = 0,
): number {
  const fa = shape.flashAttention;
  const attended = shape.fullAttention ? kvCells : swaCells;
  const mask = ((shape.fullAttention ? kvCells : 0) + swaCells) * tokens * (fa ? F16 : F32);
  const scores = fa ? 0 : attended * tokens * shape.heads * F32;
  const attention = mask + scores + tokens * F32 * (5 * shape.embedding + 2 * shape.kvWidth);
  const ffnWidth = shape.expertUsedCount > 0 ? shape.expertUsedCount * shape.feedForward : shape.feedForward;
  const feedForward = mask + tokens * F32 * (3 * ffnWidth + (fa ? 4 : 5) * shape.embedding);
  const output = F32 * (outputs * shape.vocab + 2 * tokens * shape.embedding);
  return Math.max(attention, feedForward, output);
}

/** Bytes of ggml-cpu's work buffer for the same ubatch. */
export function workBufferBytes(shape: ComputeShape, kvCells: number, tokens: number, swaCells = 0): number {
  const attended = shape.fullAttention ? kvCells : swaCells;
  const scoresAsF16 = shape.flashAttention ? 0 : attended * tokens * shape.heads * F16;
  // Activations quantised for the weight matmuls: ≤ ~1.07 bytes per value for Q8 dot types, 2 for F16.
  const activations = tokens * Math.max(shape.embedding, shape.feedForward) * F16;
  return Math.max(scoresAsF16, activations);
}
