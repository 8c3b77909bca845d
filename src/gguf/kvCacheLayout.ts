import type { GgufMetadata } from "./ggufValue.ts";
import { metaNumber, metaNumberOrArray } from "./metadataAccess.ts";
import { recurrentLayers } from "./recurrentLayers.ts";
import { slidingWindowLayers } from "./slidingWindowLayers.ts";

/** Layers that keep the same kind of cache; element counts are summed over the group's layers. */
export interface KvLayerGroup {
  /** Layers with their own K (and V) cache. */
  layers: number;
  /** K elements per cached token, summed over the layers: n_head_kv × key length per layer. */
  kElementsPerToken: number;
  /** V elements per cached token, summed over the layers (0 with MLA: the compressed K cache serves as V). */
  vElementsPerToken: number;
}

/**
 * The memory llama.cpp keeps per sequence for a model's context, layer by layer (src/llama-model.cpp
 * create_memory, llama-kv-cache.cpp, llama-kv-cache-iswa.cpp, llama-memory-recurrent.cpp), from the header alone.
 * Plain serialisable data; byte sizes at a given context come from kvCacheBytes().
 */
export type KvCacheLayout =
  | {
      status: "known";
      /** Layers whose cache holds every cell of the context. */
      full: KvLayerGroup;
      /** Layers whose cache holds only about window + micro-batch cells (llama.cpp's SWA cache); null without. */
      slidingWindow: (KvLayerGroup & { windowTokens: number; chunked: boolean }) | null;
      /** Widest V row of any layer: without flash attention llama.cpp pads every layer's V rows to it. */
      vElementsMaxPerLayer: number;
      /** Multi-head latent attention (DeepSeek-2 style): only the compressed K cache is stored. */
      mla: boolean;
      /** Layers with a fixed recurrent state instead of (or besides) a KV cache; f32 bytes for one sequence. */
      recurrent: { layers: number; stateBytes: number } | null;
    }
  | { status: "unknown"; reason: string };

/** llama.cpp keeps no KV cache for these (encoders, diffusion models): create_memory returns none. */
const NO_CACHE = new Set([
  "bert",
  "jina-bert-v2",
  "jina-bert-v3",
  "nomic-bert",
  "nomic-bert-moe",
  "neo-bert",
  "eurobert",
  "wavtokenizer-dec",
  "modern-bert",
  "gemma-embedding",
  "dream",
  "llada",
  "llada-moe",
  "rnd1",
]);
/** Architectures with extra caches (sparse-attention indexers, compressed windows) that are not modelled here. */
const SPECIAL_CACHE = new Set(["minimax-m3", "glm-dsa", "deepseek32", "dots3note", "deepseek4", "dflash"]);
/** Architectures that read `key_length_mla` / `value_length_mla`. */
const MLA_ARCHS = new Set(["deepseek2"]);
/** Architectures whose main context leaves the next-token-prediction layers out of the cache. */
const NEXTN_FILTERED = new Set(["step35", "hy_v3", "glm-dsa", "mimo2", "deepseek32"]);

/**
 * The KV cache / recurrent state layout of a model, or why it cannot be known. Pure. With `tensorRows` (tensor name
 * → ne[1]) each layer's `attn_k.weight` is checked against the K width the header implies, as llama.cpp's
 * check_tensor_dims does: a header that contradicts its tensors (e.g. head_count_kv removed, so it defaults to
 * head_count) makes the layout unknown, since llama.cpp refuses the file.
 */
export function kvCacheLayout(
  metadata: GgufMetadata,
  architecture: string,
  tensorRows?: ReadonlyMap<string, number>,
): KvCacheLayout {
  const key = (suffix: string) => `${architecture}.${suffix}`;
  const unknown = (reason: string): KvCacheLayout => ({ status: "unknown", reason });
  const zero = { layers: 0, kElementsPerToken: 0, vElementsPerToken: 0 };
  if (NO_CACHE.has(architecture)) {
    return { status: "known", full: zero, slidingWindow: null, vElementsMaxPerLayer: 0, mla: false, recurrent: null };
  }
  if (SPECIAL_CACHE.has(architecture)) return unknown(`the ${architecture} cache (with its indexer) is not modelled`);
  const layersAll = metaNumber(metadata, key("block_count"));
  if (layersAll === null || layersAll <= 0) return unknown(`${key("block_count")} is missing`);
  const layersMain = layersAll - (metaNumber(metadata, key("nextn_predict_layers")) ?? 0);

  const heads = perLayer(metaNumberOrArray(metadata, key("attention.head_count")), layersAll);
  if (typeof heads === "string") return unknown(`${key("attention.head_count")} ${heads}`);
  const kvRaw = metaNumberOrArray(metadata, key("attention.head_count_kv"));
  const kvHeads = kvRaw === null ? heads : perLayer(kvRaw, layersAll);
  if (typeof kvHeads === "string") return unknown(`${key("attention.head_count_kv")} ${kvHeads}`);

  const recurrent = recurrentLayers(metadata, architecture, layersAll, layersMain, kvHeads ?? []);
  if (recurrent.kind === "unknown") return unknown(recurrent.reason);
  const pureRecurrent =
    recurrent.kind === "recurrent" && !recurrent.attentionToo && recurrent.isRecurrent.every(Boolean);
  if (heads === null && !pureRecurrent) {
    return unknown(
      `${key("attention.head_count")} is missing: the attention cannot be sized (llama.cpp cannot load it)`,
    );
  }
  const kvHeadsAt = (il: number) => kvHeads?.[il] ?? 0;

  // llama-model.cpp load_hparams: head sizes default to embedding / n_head(0); without heads they are 0.
  const embedding = metaNumber(metadata, key("embedding_length")) ?? 0;
  const heads0 = heads?.[0] ?? 0;
  const kFull = heads0 > 0 ? (metaNumber(metadata, key("attention.key_length")) ?? Math.floor(embedding / heads0)) : 0;
  const vFull =
    heads0 > 0 ? (metaNumber(metadata, key("attention.value_length")) ?? Math.floor(embedding / heads0)) : 0;
  const kSwa = metaNumber(metadata, key("attention.key_length_swa")) ?? kFull;
  const vSwa = metaNumber(metadata, key("attention.value_length_swa")) ?? vFull;
  const mla =
    MLA_ARCHS.has(architecture) &&
    (metaNumber(metadata, key("attention.key_length_mla")) ?? 0) > 0 &&
    (metaNumber(metadata, key("attention.value_length_mla")) ?? 0) > 0;

  const isRecurrent = recurrent.kind === "recurrent" ? recurrent.isRecurrent : [];
  const swa = slidingWindowLayers(metadata, architecture, layersAll, layersMain, isRecurrent);
  if (swa.kind === "unknown") return unknown(swa.reason);
  const isSwa = (il: number) => swa.kind === "swa" && swa.isSwa[il] === true;

  const kvFromStart = layersWithOwnCache(metadata, architecture, layersAll);
  const nemotronFeedForward = metaNumberOrArray(metadata, key("feed_forward_length"));
  const hasCache = (il: number): boolean => {
    if (il >= kvFromStart) return false;
    if (NEXTN_FILTERED.has(architecture) && il >= layersMain) return false;
    if (recurrent.kind !== "recurrent") return true;
    if (recurrent.attentionToo) return true;
    if (architecture.startsWith("nemotron_h")) {
      const ff = Array.isArray(nemotronFeedForward) ? nemotronFeedForward[il] : nemotronFeedForward;
      if ((ff ?? 0) !== 0) return false;
    }
    return !isRecurrent[il];
  };

  if (tensorRows && !mla) {
    for (let il = 0; il < layersAll; il++) {
      const rows = tensorRows.get(`blk.${il}.attn_k.weight`);
      const expected = kvHeadsAt(il) * (isSwa(il) ? kSwa : kFull);
      if (rows !== undefined && hasCache(il) && rows !== expected) {
        return unknown(
          `blk.${il}.attn_k.weight has ${rows} outputs but the header implies ${kvHeadsAt(il)} KV heads × ` +
            `${isSwa(il) ? kSwa : kFull} = ${expected} (check ${key("attention.head_count_kv")}; llama.cpp refuses the file)`,
        );
      }
    }
  }

  const full = { ...zero };
  const sliding = { ...zero };
  let vElementsMaxPerLayer = 0;
  for (let il = 0; il < layersAll; il++) {
    const [k, v] = isSwa(il) ? [kSwa, vSwa] : [kFull, vFull];
    vElementsMaxPerLayer = Math.max(vElementsMaxPerLayer, kvHeadsAt(il) * v);
    if (!hasCache(il)) continue;
    const group = isSwa(il) ? sliding : full;
    group.layers += 1;
    group.kElementsPerToken += kvHeadsAt(il) * k;
    group.vElementsPerToken += mla ? 0 : kvHeadsAt(il) * v;
  }
  const recurrentCount = recurrent.kind === "recurrent" ? isRecurrent.filter(Boolean).length : 0;
  return {
    status: "known",
    full,
    slidingWindow:
      swa.kind === "swa" && sliding.layers > 0
        ? { ...sliding, windowTokens: swa.windowTokens, chunked: swa.chunked }
        : null,
    vElementsMaxPerLayer: mla ? 0 : vElementsMaxPerLayer,
    mla,
    recurrent:
      recurrent.kind === "recurrent" && recurrentCount > 0
        ? { layers: recurrentCount, stateBytes: recurrentCount * recurrent.stateBytesPerLayer }
        : null,
  };
}

/** A per-layer list from a scalar or an array; null when absent; a message when the array has the wrong length. */
function perLayer(value: number | number[] | null, layers: number): number[] | null | string {
  if (value === null) return null;
  if (!Array.isArray(value)) return new Array<number>(layers).fill(value);
  if (value.length !== layers) return `has ${value.length} entries for ${layers} layers (llama.cpp refuses the file)`;
  return value;
}

/**
 * Layers past this index reuse an earlier layer's cache (llama_hparams::has_kv): gemma3n keeps its own cache in
 * the first 20 layers; gemma4 in all but `attention.shared_kv_layers`.
 */
function layersWithOwnCache(metadata: GgufMetadata, architecture: string, layersAll: number): number {
  if (architecture === "gemma3n") return 20;
  if (architecture === "gemma4") {
    return layersAll - (metaNumber(metadata, `${architecture}.attention.shared_kv_layers`) ?? 0);
  }
  return layersAll;
}
