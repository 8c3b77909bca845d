import type { GgufMetadata } from "./ggufValue.ts";
import { metaFlags, metaNumber, metaNumberOrArray } from "./metadataAccess.ts";

/** Purely recurrent architectures (llm_arch_is_recurrent): every layer keeps a state, none a KV cache. */
const RECURRENT = new Set(["mamba", "mamba2", "rwkv6", "rwkv6qwen2", "rwkv7", "arwkv7"]);
const RWKV = new Set(["rwkv6", "rwkv6qwen2", "rwkv7", "arwkv7"]);
/** Hybrids whose recurrent layers are those with no KV heads (llama.cpp: is_recr = n_head_kv(il) == 0). */
const RECURRENT_WHERE_NO_KV_HEADS = new Set(["jamba", "granitehybrid", "lfm2", "lfm2moe", "plamo2"]);
/** Hybrids whose recurrent layers come from `attention.recurrent_layers` or every layer but each n-th. */
const RECURRENT_BY_INTERVAL = new Set(["qwen3next", "qwen35", "qwen35moe"]);
/** Hybrids llama.cpp runs whose state this module does not size (other state shapes): the memory is unknown. */
const NOT_MODELLED = new Set(["kimi-linear", "kimi-k3", "bailingmoe3", "qwen4exp", "minimax-01", "deepseek4"]);

export type RecurrentLayers =
  | { kind: "none" }
  | {
      kind: "recurrent";
      /** Per layer: keeps a recurrent state. */
      isRecurrent: boolean[];
      /** Whether the recurrent layers also have attention with a KV cache (falcon-h1 runs both in every layer). */
      attentionToo: boolean;
      /** f32 bytes of one layer's state for one sequence: conv/token-shift rows (r) + the state proper (s). */
      stateBytesPerLayer: number;
    }
  | { kind: "unknown"; reason: string };

/**
 * The recurrent layers of a model and the state each keeps per sequence, as llama.cpp sizes them
 * (llama-memory-recurrent.cpp: one f32 row of n_embd_r() and one of n_embd_s() per layer and sequence;
 * llama-hparams.cpp: n_embd_r = (d_conv − 1) × (d_inner + 2 × n_group × d_state), n_embd_s = d_state × d_inner
 * for Mamba-style layers; token_shift_count × n_embd and n_embd × head_size for RWKV; n_embd × (l_cache − 1) for
 * LFM2's short convolutions, which have no s state). `kvHeads` is n_head_kv per layer.
 */
export function recurrentLayers(
  metadata: GgufMetadata,
  architecture: string,
  layersAll: number,
  layersMain: number,
  kvHeads: number[],
): RecurrentLayers {
  const key = (suffix: string) => `${architecture}.${suffix}`;
  if (NOT_MODELLED.has(architecture)) {
    return { kind: "unknown", reason: `the recurrent state of ${architecture} layers is not modelled` };
  }
  let isRecurrent: boolean[];
  let attentionToo = false;
  if (RECURRENT.has(architecture)) isRecurrent = new Array<boolean>(layersAll).fill(true);
  else if (RECURRENT_WHERE_NO_KV_HEADS.has(architecture))
    isRecurrent = kvHeads.map((heads, il) => il < layersMain && heads === 0);
  else if (architecture === "nemotron_h" || architecture === "nemotron_h_moe") {
    const ff = metaNumberOrArray(metadata, key("feed_forward_length"));
    const ffAt = (il: number) => (Array.isArray(ff) ? (ff[il] ?? 0) : (ff ?? 0));
    isRecurrent = kvHeads.map((heads, il) => il < layersMain && heads === 0 && ffAt(il) === 0);
  } else if (architecture === "falcon-h1") {
    isRecurrent = new Array<boolean>(layersAll).fill(true);
    attentionToo = true;
  } else if (RECURRENT_BY_INTERVAL.has(architecture)) {
    const listed = metaFlags(metadata, key("attention.recurrent_layers"));
    if (listed && listed.length === layersAll) isRecurrent = listed;
    else {
      const interval = metaNumber(metadata, key("full_attention_interval")) ?? 4;
      isRecurrent = Array.from({ length: layersAll }, (_, il) => il < layersMain && (il + 1) % interval !== 0);
    }
  } else return { kind: "none" };

  const state = stateElements(metadata, architecture);
  if (typeof state === "string") return { kind: "unknown", reason: state };
  return { kind: "recurrent", isRecurrent, attentionToo, stateBytesPerLayer: state * 4 };
}

/** n_embd_r + n_embd_s, or why it cannot be known. */
function stateElements(metadata: GgufMetadata, architecture: string): number | string {
  const key = (suffix: string) => `${architecture}.${suffix}`;
  const need = (suffix: string): number | string =>
    metaNumber(metadata, key(suffix)) ?? `${key(suffix)} is missing (llama.cpp needs it to size the recurrent state)`;
  const embedding = need("embedding_length");
  if (typeof embedding === "string") return embedding;
  if (RWKV.has(architecture)) {
    const headSize = need("wkv.head_size");
    if (typeof headSize === "string") return headSize;
    const tokenShift = metaNumber(metadata, key("token_shift_count")) ?? 2;
    return tokenShift * embedding + embedding * headSize;
  }
  if (architecture === "lfm2" || architecture === "lfm2moe") {
    const lCache = need("shortconv.l_cache");
    if (typeof lCache === "string") return lCache;
    return embedding * (lCache - 1);
  }
  const conv = need("ssm.conv_kernel");
  const inner = need("ssm.inner_size");
  const state = need("ssm.state_size");
  for (const value of [conv, inner, state]) if (typeof value === "string") return value;
  const groups = metaNumber(metadata, key("ssm.group_count")) ?? 0;
  const [c, i, s] = [conv, inner, state] as number[];
  return Math.max(0, (c as number) - 1) * ((i as number) + 2 * groups * (s as number)) + (s as number) * (i as number);
}
