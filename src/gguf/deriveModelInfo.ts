import { activeWeightBytesFromTensors } from "./activeWeightBytes.ts";
import { fileTypeName } from "./fileTypes.ts";
import { ggmlTypeInfo } from "./ggmlTypes.ts";
import type { GgufTensorInfo } from "./ggufValue.ts";
import { fullKvBytesPerToken } from "./kvCacheBytes.ts";
import { kvCacheLayout } from "./kvCacheLayout.ts";
import { metaArrayLength, metaNumber, metaNumberOrArray, metaString } from "./metadataAccess.ts";
import type { ModelInfo } from "./modelInfo.ts";
import { type GgufHeader, tensorBytes } from "./readGgufHeader.ts";

/** Expert tensors are named `blk.N.ffn_{gate,up,down}_exps.weight` in llama.cpp (shared experts are `_shexp`). */
const EXPERT_TENSOR = /_exps\b/;

export interface GgufPart {
  path: string;
  header: GgufHeader;
}

/** Model info from the parsed headers of one model's parts (first part first). Pure. */
export function deriveModelInfo(parts: GgufPart[]): ModelInfo {
  const first = parts[0];
  if (!first) throw new Error("deriveModelInfo needs at least one part");
  const meta = first.header.metadata;
  const architecture = metaString(meta, "general.architecture") ?? "unknown";
  const key = (suffix: string) => `${architecture}.${suffix}`;
  const tensors = parts.flatMap((part) => part.header.tensors);

  const histogram = tensorTypeHistogram(tensors);
  const fileType = metaNumber(meta, "general.file_type");
  const quantization = (fileType === null ? null : fileTypeName(fileType)) ?? dominantType(tensors);

  const embeddingLength = metaNumber(meta, key("embedding_length"));
  const blockCount = metaNumber(meta, key("block_count"));
  const headCount = maxOf(metaNumberOrArray(meta, key("attention.head_count")));
  const kvRaw = metaNumberOrArray(meta, key("attention.head_count_kv"));
  const headCountKvPerLayer = Array.isArray(kvRaw) ? kvRaw : null;
  const headCountKv = maxOf(kvRaw) ?? headCount;
  const headDim =
    metaNumber(meta, key("attention.key_length")) ??
    (embeddingLength !== null && headCount ? Math.floor(embeddingLength / headCount) : null);
  const valueDim = metaNumber(meta, key("attention.value_length")) ?? headDim;

  const expertCount = metaNumber(meta, key("expert_count")) ?? 0;
  // A file without expert_used_count cannot run in llama.cpp; counting every expert as used is the safe bound.
  const moe =
    expertCount > 0 ? moeInfo(tensors, expertCount, metaNumber(meta, key("expert_used_count")) ?? expertCount) : null;
  const vocabSize = metaNumber(meta, key("vocab_size")) ?? metaArrayLength(meta, "tokenizer.ggml.tokens");
  const kRows = new Map(
    tensors
      .filter((t) => t.name.endsWith(".attn_k.weight") && t.dimensions.length === 2)
      .map((t) => [t.name, t.dimensions[1] ?? 0]),
  );
  const kvCache = kvCacheLayout(meta, architecture, kRows);

  return {
    file: first.path,
    files: parts.map((part) => part.path),
    fileBytes: parts.reduce((sum, part) => sum + part.header.fileBytes, 0),
    ggufVersion: first.header.version,
    architecture,
    name: metaString(meta, "general.name"),
    sizeLabel: metaString(meta, "general.size_label"),
    parameterCount: tensors.reduce((sum, tensor) => sum + elementCount(tensor), 0),
    fileType,
    quantization,
    tensorTypes: histogram,
    tensorDataBytes: Object.values(histogram).reduce((sum, entry) => sum + entry.bytes, 0),
    contextLength: metaNumber(meta, key("context_length")),
    embeddingLength,
    blockCount,
    headCount,
    headCountKv,
    headCountKvPerLayer,
    headDim,
    valueDim,
    feedForwardLength: maxOf(metaNumberOrArray(meta, key("feed_forward_length"))),
    vocabSize,
    tokenizer: {
      model: metaString(meta, "tokenizer.ggml.model"),
      tokenCount: metaArrayLength(meta, "tokenizer.ggml.tokens"),
      mergeCount: metaArrayLength(meta, "tokenizer.ggml.merges") ?? 0,
    },
    slidingWindow: metaNumber(meta, key("attention.sliding_window")),
    rope: {
      dimensionCount: metaNumber(meta, key("rope.dimension_count")),
      freqBase: metaNumber(meta, key("rope.freq_base")),
      scalingType: metaString(meta, key("rope.scaling.type")) ?? (meta.has(key("rope.scale_linear")) ? "linear" : null),
      scalingFactor: metaNumber(meta, key("rope.scaling.factor")) ?? metaNumber(meta, key("rope.scale_linear")),
      originalContextLength: metaNumber(meta, key("rope.scaling.original_context_length")),
    },
    moe,
    kvBytesPerToken: kvCache.status === "known" ? fullKvBytesPerToken(kvCache) : null,
    kvCache,
    activeWeightBytesPerToken: activeWeightBytesFromTensors(
      tensors.map((tensor) => ({ name: tensor.name, bytes: tensorBytes(tensor) })),
      moe,
      vocabSize,
    ),
  };
}

function elementCount(tensor: GgufTensorInfo): number {
  return tensor.dimensions.reduce((product, size) => product * size, 1);
}

function typeName(typeId: number): string {
  return ggmlTypeInfo(typeId)?.name ?? `TYPE_${typeId}`;
}

function tensorTypeHistogram(tensors: GgufTensorInfo[]): ModelInfo["tensorTypes"] {
  const histogram: ModelInfo["tensorTypes"] = {};
  for (const tensor of tensors) {
    const name = typeName(tensor.typeId);
    const entry = histogram[name] ?? { count: 0, bytes: 0 };
    entry.count += 1;
    entry.bytes += tensorBytes(tensor);
    histogram[name] = entry;
  }
  return histogram;
}

/** The type holding the most weights: what a file without general.file_type is "quantized as". */
function dominantType(tensors: GgufTensorInfo[]): string {
  const elements = new Map<string, number>();
  for (const tensor of tensors) {
    const name = typeName(tensor.typeId);
    elements.set(name, (elements.get(name) ?? 0) + elementCount(tensor));
  }
  let best = "unknown";
  let bestCount = -1;
  for (const [name, count] of elements) {
    if (count > bestCount) {
      best = name;
      bestCount = count;
    }
  }
  return best;
}

function maxOf(value: number | number[] | null): number | null {
  if (value === null) return null;
  if (!Array.isArray(value)) return value;
  return value.length === 0 ? null : Math.max(...value);
}

function moeInfo(tensors: GgufTensorInfo[], expertCount: number, expertUsedCount: number): ModelInfo["moe"] {
  const fractionActive = expertUsedCount / expertCount;
  let expertParams = 0;
  let otherParams = 0;
  for (const tensor of tensors) {
    if (EXPERT_TENSOR.test(tensor.name)) expertParams += elementCount(tensor);
    else otherParams += elementCount(tensor);
  }
  return {
    expertCount,
    expertUsedCount,
    fractionActive,
    activeParameterCount: Math.round(otherParams + fractionActive * expertParams),
  };
}
