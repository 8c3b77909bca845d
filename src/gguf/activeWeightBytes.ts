import type { ModelInfo } from "./modelInfo.ts";

/** One tensor as the weight-traffic estimate needs it. */
export interface TensorBytes {
  name: string;
  bytes: number;
}

/** MoE expert tensors: `blk.N.ffn_{gate,up,down,gate_up}_exps.weight`; shared experts (`_shexp`) are always read. */
const EXPERT_TENSOR = /\.ffn_[a-z_]*_exps\./;

/**
 * Bytes of weights one decode step reads, per tensor (exact when the tensor list is at hand): every tensor,
 * except that MoE expert tensors count only the share of experts a token uses, and the token-embedding table
 * counts one row when the model has a separate `output.weight` (a lookup, not a matrix product; when the
 * output is tied to it, the output product reads it whole).
 */
export function activeWeightBytesFromTensors(tensors: TensorBytes[], moe: ModelInfo["moe"], vocabSize: number | null) {
  const hasOutput = tensors.some((t) => t.name === "output.weight");
  let total = 0;
  for (const tensor of tensors) {
    if (EXPERT_TENSOR.test(tensor.name) && moe) total += tensor.bytes * moe.fractionActive;
    else if (tensor.name === "token_embd.weight" && hasOutput && vocabSize) total += tensor.bytes / vocabSize;
    else total += tensor.bytes;
  }
  return total;
}
