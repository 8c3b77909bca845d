import { ggmlTypeId, ggmlTypeInfo } from "./ggmlTypes.ts";
import type { SynthTypeSpec } from "./synthTypes.ts";

/** A tensor as the quantizer sees it: name and ggml dimensions (ne[0] = row width). */
export interface QuantTensor {
  name: string;
  dimensions: number[];
}

/** The model facts llama.cpp's rules look at. */
export interface QuantModel {
  /** general.architecture */
  arch: string;
  /** block_count (n_layer_all) */
  layers: number;
  /** expert_count; 0 for a dense model */
  experts: number;
  /** llama.cpp classifies the model as LLM_TYPE_70B (llama / qwen2 with 80 layers and grouped-query attention). */
  is70B: boolean;
}

type Category =
  | "output"
  | "token_embd"
  | "attn_v"
  | "attn_k"
  | "attn_q"
  | "attn_output"
  | "up"
  | "gate"
  | "down"
  | "other";

/**
 * The ggml type name llama.cpp's quantizer gives each tensor of an F32 model for a file type — the same order as
 * `tensors`. Transcribed from llama.cpp's src/llama-quant.cpp (the copy node-llama-cpp 3.21.1 ships, commit
 * 80fb11a): tensor_allows_quantization, llama_tensor_get_type_impl for the mixes gguf-bench synthesises (Q4_0,
 * Q8_0, Q4_K_S, Q4_K_M, Q5_K_M, Q6_K, MXFP4_MOE; F32/F16/BF16), `--pure`, and tensor_type_fallback. Counters
 * (the n-th attn_v, the n-th ffn_down) run in llama.cpp's tensor order: by layer number, then by name. No
 * imatrix, no overrides. Tensors it does not quantize keep F32 (the synthesiser's source type).
 */
export function llamaQuantTypes(tensors: QuantTensor[], model: QuantModel, spec: SynthTypeSpec): string[] {
  const result: string[] = new Array(tensors.length).fill("F32");
  const order = tensors.map((_, i) => i).sort((a, b) => compareNames(tensors[a]?.name ?? "", tensors[b]?.name ?? ""));
  const categories = tensors.map((t) => category(t.name));
  const state = {
    tied: !tensors.some((t) => t.name === "output.weight"),
    nAttnV: categories.filter((c) => c === "attn_v").length,
    iAttnV: 0,
    iDown: 0,
  };
  const quantized = ggmlTypeInfo(ggmlTypeId(spec.defaultType))?.blockElements !== 1;
  for (const index of order) {
    const tensor = tensors[index] as QuantTensor;
    if (!allowsQuantization(tensor)) continue;
    let type = spec.defaultType;
    if (quantized) {
      if (!spec.pure) type = ruleType(tensor, categories[index] as Category, type, model, spec.fileType, state);
      type = fallbackType(tensor, type);
    }
    result[index] = type;
  }
  return result;
}

/** use_more_bits: the first and last eighth of the layers and every third one between them. */
function useMoreBits(i: number, n: number): boolean {
  return i < Math.trunc(n / 8) || i >= Math.trunc((7 * n) / 8) || (i - Math.trunc(n / 8)) % 3 === 2;
}

function ruleType(
  tensor: QuantTensor,
  cat: Category,
  defaultType: string,
  model: QuantModel,
  ftype: string,
  state: { tied: boolean; nAttnV: number; iAttnV: number; iDown: number },
): string {
  let type = defaultType;
  const eightExperts = model.experts === 8;
  const falcon = model.arch === "falcon";
  if (cat === "output" || (state.tied && cat === "token_embd")) {
    const width = tensor.dimensions[0] ?? 0;
    if (ftype === "MXFP4_MOE") return "Q8_0";
    if (falcon || width % blockElements(type) !== 0) return "Q8_0";
    return type === "Q8_0" ? type : "Q6_K";
  }
  if (ftype === "MXFP4_MOE") return (tensor.dimensions[2] ?? 1) > 1 ? "MXFP4" : "Q8_0";
  if (cat === "token_embd") return type;
  if (cat === "attn_v") {
    if ((ftype === "Q4_K_M" || ftype === "Q5_K_M") && useMoreBits(state.iAttnV, state.nAttnV)) type = "Q6_K";
    else if (ftype === "Q4_K_S" && state.iAttnV < 4) type = "Q5_K";
    if (model.is70B && (type === "Q3_K" || type === "Q4_K")) type = "Q5_K";
    if (eightExperts) type = "Q8_0";
    state.iAttnV++;
  } else if (cat === "attn_k") {
    if (eightExperts) type = "Q8_0";
  } else if (cat === "down") {
    const layer = model.experts > 1 ? layerOf(tensor.name) : state.iDown;
    const n = model.layers;
    if (ftype === "Q4_K_M") {
      if (falcon) type = layer < Math.trunc(n / 16) ? "Q6_K" : useMoreBits(layer, n) ? "Q5_K" : "Q4_K";
      else if (useMoreBits(layer, n)) type = "Q6_K";
    } else if (ftype === "Q5_K_M" && useMoreBits(layer, n)) type = "Q6_K";
    else if (ftype === "Q4_K_S" && !falcon && layer < Math.trunc(n / 8)) type = "Q5_K";
    state.iDown++;
  } else if (cat === "attn_output") {
    if (!falcon && eightExperts && (ftype === "Q4_K_S" || ftype === "Q4_K_M")) type = "Q5_K";
  }
  return type;
}

/** tensor_type_fallback: a row width the block size does not divide takes a 32-block type, or F16. */
function fallbackType(tensor: QuantTensor, type: string): string {
  const width = tensor.dimensions[0] ?? 0;
  if (width % blockElements(type) === 0) return type;
  const fallback: Record<string, string> = { Q2_K: "Q4_0", Q3_K: "Q4_0", Q4_K: "Q5_0", Q5_K: "Q5_1", Q6_K: "Q8_0" };
  const next = fallback[type] ?? type;
  return width % blockElements(next) === 0 ? next : "F16";
}

function blockElements(type: string): number {
  return ggmlTypeInfo(ggmlTypeId(type))?.blockElements ?? 1;
}

/** tensor_allows_quantization, for the tensor names the synthesiser writes. */
function allowsQuantization(tensor: QuantTensor): boolean {
  const name = tensor.name;
  return (
    dimensionCount(tensor.dimensions) >= 2 &&
    name.endsWith("weight") &&
    !name.includes("_norm.weight") &&
    !name.includes("ffn_gate_inp.weight")
  );
}

/** ggml_n_dims: trailing dimensions of 1 do not count. */
function dimensionCount(dimensions: number[]): number {
  for (let i = dimensions.length - 1; i > 0; i--) if ((dimensions[i] ?? 1) > 1) return i + 1;
  return 1;
}

/** tensor_get_category, in llama.cpp's order of tests (attn_qkv and attn_kv_b count as attn_v there). */
function category(name: string): Category {
  if (name === "output.weight") return "output";
  if (name === "token_embd.weight" || name === "per_layer_token_embd.weight") return "token_embd";
  if (name.includes("attn_qkv.weight") || name.includes("attn_kv_b.weight") || name.includes("attn_v.weight"))
    return "attn_v";
  if (name.includes("attn_k.weight")) return "attn_k";
  if (name.includes("attn_q.weight")) return "attn_q";
  if (name.includes("attn_output.weight")) return "attn_output";
  if (name.includes("ffn_up")) return "up";
  if (name.includes("ffn_gate")) return "gate";
  if (name.includes("ffn_down")) return "down";
  return "other";
}

/** The `blk.N.` number of a tensor name, -1 for tensors outside the blocks. */
function layerOf(name: string): number {
  const match = /^blk\.(\d+)\./.exec(name);
  return match ? Number(match[1]) : -1;
}

/** llama_model_loader's weight_name_comparer: by layer number, then by name (byte order). */
function compareNames(a: string, b: string): number {
  const la = layerOf(a);
  const lb = layerOf(b);
  if (la !== lb) return la - lb;
  return a < b ? -1 : a > b ? 1 : 0;
}
