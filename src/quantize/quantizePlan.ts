import { ggmlTypeId } from "../gguf/ggmlTypes.ts";
import type { GgufTensorInfo } from "../gguf/ggufValue.ts";
import { QK } from "./quantizeBlocks.ts";

/** The quantization types gguf-bench writes itself, exactly as llama-quantize does. */
export const OWN_QUANT_TYPES = ["q8_0", "q4_0"] as const;
export type OwnQuantType = (typeof OWN_QUANT_TYPES)[number];

/** llama.cpp's `llama_ftype` values stored as `general.file_type`. */
export const FILE_TYPE_OF: Record<OwnQuantType, number> = { q8_0: 7, q4_0: 2 };

/** Name parts that llama-quantize never quantizes (llama-quant.cpp, `tensor_allows_quantization`). */
const NEVER_QUANTIZED_PARTS = [
  "_norm.weight",
  "ffn_gate_inp.weight",
  "ffn_gate_tid2eid.weight",
  "altup",
  "laurel",
  "per_layer_model_proj",
  "ssm_conv1d",
  "shortconv.conv.weight",
  "indexer.k_proj.weight",
  "indexer.q_proj.weight",
  "time_mix_first.weight",
  "time_mix_w0.weight",
  "time_mix_w1.weight",
  "time_mix_w2.weight",
  "time_mix_v0.weight",
  "time_mix_v1.weight",
  "time_mix_v2.weight",
  "time_mix_a0.weight",
  "time_mix_a1.weight",
  "time_mix_a2.weight",
  "time_mix_g1.weight",
  "time_mix_g2.weight",
  "time_mix_decay_w1.weight",
  "time_mix_decay_w2.weight",
  "time_mix_lerp_fused.weight",
  "attn_rel_b.weight",
  ".position_embd",
  "sam.pos_embd",
  "sam.neck.",
  "sam.net_",
  ".rel_pos",
  ".patch_embd",
  ".patch_merger",
  "a.rvq.codebook",
  "mm.a.code_embd",
];
const NEVER_QUANTIZED_NAMES = new Set(["position_embd.weight", "token_types.weight"]);

/** ggml_n_dims: dimensions up to the last one larger than 1 (at least 1). */
function effectiveDimensions(dimensions: readonly number[]): number {
  let n = dimensions.length;
  while (n > 1 && dimensions[n - 1] === 1) n--;
  return Math.max(1, n);
}

function allowsQuantization(tensor: GgufTensorInfo): boolean {
  if (effectiveDimensions(tensor.dimensions) < 2) return false;
  const name = tensor.name;
  if (!name.endsWith("weight")) return false;
  if (NEVER_QUANTIZED_NAMES.has(name)) return false;
  return !NEVER_QUANTIZED_PARTS.some((part) => name.includes(part));
}

/**
 * The ggml type each tensor of a model becomes under `--types q8_0` or `q4_0`, following llama-quantize
 * (llama-quant.cpp, `llama_tensor_get_type`) without an importance matrix:
 * - only 2-D and 3-D tensors whose names end in "weight" are quantized, never norms, MoE routers, position
 *   embeddings and the other small tensors llama-quantize leaves alone; everything else is copied;
 * - a row length that is not a multiple of 32 falls back to F16 (llama-quantize's fallback for 32-blocks);
 * - q4_0: the output tensor (or the token embedding when it doubles as the output) becomes Q8_0. llama-quantize
 *   makes it Q6_K when its rows are a multiple of 256 and Q8_0 otherwise; gguf-bench has no Q6_K, so it keeps
 *   Q8_0 there (see `differsFromLlamaQuantize`);
 * - models with exactly 8 experts: attention K and V become Q8_0, as llama-quantize does.
 * Returns the target type id per tensor (the same id as the source for a copied tensor).
 */
export function planQuantization(
  tensors: readonly GgufTensorInfo[],
  type: OwnQuantType,
  expertCount: number,
): { typeIds: number[]; differsFromLlamaQuantize: string[] } {
  const q8 = ggmlTypeId("Q8_0");
  const target = type === "q8_0" ? q8 : ggmlTypeId("Q4_0");
  const f16 = ggmlTypeId("F16");
  const tied = !tensors.some((t) => t.name === "output.weight");
  const differsFromLlamaQuantize: string[] = [];
  const typeIds = tensors.map((tensor) => {
    if (!allowsQuantization(tensor)) return tensor.typeId;
    const name = tensor.name;
    const columns = tensor.dimensions[0] ?? 0;
    let wanted = target;
    const isOutput = name === "output.weight" || (tied && name === "token_embd.weight");
    if (isOutput && type === "q4_0") {
      wanted = q8;
      if (columns % 256 === 0) differsFromLlamaQuantize.push(`${name}: Q8_0 here, Q6_K from llama-quantize`);
    } else if (expertCount === 8 && /attn_(v|k|qkv|kv_b)\.weight/.test(name)) wanted = q8;
    if (columns % QK !== 0) wanted = f16;
    return wanted;
  });
  return { typeIds, differsFromLlamaQuantize };
}
