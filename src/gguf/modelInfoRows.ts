import { kvCells } from "./kvCacheBytes.ts";
import type { ModelInfo } from "./modelInfo.ts";

/** 292800 -> "292.8K", 6738415616 -> "6.74B": how model sizes are usually quoted. */
export function formatCount(n: number): string {
  const units: [number, string][] = [
    [1e12, "T"],
    [1e9, "B"],
    [1e6, "M"],
    [1e3, "K"],
  ];
  for (const [size, unit] of units) {
    if (n >= size) {
      const value = n / size;
      return `${value >= 100 ? value.toFixed(1) : value.toPrecision(3)}${unit}`;
    }
  }
  return String(n);
}

/** Binary units, as memory is counted. */
export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(2)} ${units[unit]}`;
}

const grouped = (n: number) => n.toLocaleString("en-US");

/**
 * The one row an MLA (deepseek2) layer caches per token: the compressed K, key_length = kv_lora_rank + the RoPE
 * dims, and no V (llama.cpp's KV cache allocates no V tensor for MLA, llama-kv-cache.cpp `has_v = !is_mla`; the
 * header's value_length, kv_lora_rank, is the width V is read from that K row, not a cached V). E.g. "288 elements
 * per layer (kv_lora_rank 256 + RoPE dims 32), no V cached".
 */
export function mlaCacheRowText(info: Pick<ModelInfo, "headDim" | "rope">): string {
  if (info.headDim === null) return "unknown (no key_length), no V cached";
  const rot = info.rope.dimensionCount;
  const parts =
    rot !== null && rot < info.headDim
      ? `kv_lora_rank ${grouped(info.headDim - rot)} + RoPE dims ${grouped(rot)}`
      : "kv_lora_rank + RoPE dims";
  return `${grouped(info.headDim)} elements per layer (${parts}), no V cached`;
}
const orDash = (value: number | string | null) =>
  value === null ? "-" : typeof value === "number" ? grouped(value) : value;

/**
 * The label/value rows a person reads for one model (plain text; the caller escapes for its medium). `ubatch`: the
 * micro-batch llama.cpp would run it with, for the sliding-window cache's cells (window + n_ubatch, padded to 256);
 * without it that cache is described, not sized.
 */
export function modelInfoRows(info: ModelInfo, ubatch?: number): [string, string][] {
  const mla = info.kvCache?.status === "known" && info.kvCache.mla;
  const rows: [string, string][] = [
    ["file", info.files.length > 1 ? `${info.file} (first of ${info.files.length} parts)` : info.file],
    [
      "format",
      `GGUF v${info.ggufVersion}, ${Object.values(info.tensorTypes).reduce((n, entry) => n + entry.count, 0)} tensors`,
    ],
    ["architecture", info.architecture],
    ["name", info.name ?? "-"],
    ["size label", info.sizeLabel ?? "-"],
    ["parameters", `${formatCount(info.parameterCount)} (${grouped(info.parameterCount)})`],
    ["file size", `${formatBytes(info.fileBytes)} (${grouped(info.fileBytes)} bytes)`],
    ["quantization", info.fileType === null ? `${info.quantization} (inferred)` : info.quantization],
    [
      "tensor types",
      Object.entries(info.tensorTypes)
        .sort((a, b) => b[1].bytes - a[1].bytes)
        .map(([type, entry]) => `${type} x${entry.count} (${formatBytes(entry.bytes)})`)
        .join(", "),
    ],
    ["context length", orDash(info.contextLength)],
    ["embedding length", orDash(info.embeddingLength)],
    ["layers", orDash(info.blockCount)],
    [
      "heads / KV heads",
      `${orDash(info.headCount)} / ${orDash(info.headCountKv)}${info.headCountKvPerLayer ? " (per layer)" : ""}`,
    ],
    mla
      ? ["MLA cache row", mlaCacheRowText(info)]
      : ["head dim (k / v)", `${orDash(info.headDim)} / ${orDash(info.valueDim)}`],
    ["feed-forward length", orDash(info.feedForwardLength)],
    ["vocabulary", `${orDash(info.vocabSize)}${tokenizerText(info.tokenizer)}`],
  ];
  if (info.slidingWindow !== null) rows.push(["sliding window", grouped(info.slidingWindow)]);
  const rope = info.rope;
  const ropeParts = [
    // Absent keys: llama.cpp's defaults (llama-model.cpp load_hparams: n_rot = the key head size, base 10,000).
    `n_rot ${rope.dimensionCount !== null ? grouped(rope.dimensionCount) : `${info.headDim !== null && !mla ? `${grouped(info.headDim)} ` : ""}(default: the key head size)`}`,
    `base ${rope.freqBase !== null ? grouped(rope.freqBase) : "10,000 (llama.cpp's default)"}`,
    rope.scalingType ? `scaling ${rope.scalingType} x${orDash(rope.scalingFactor)}` : null,
    rope.originalContextLength !== null ? `original ctx ${grouped(rope.originalContextLength)}` : null,
  ];
  rows.push(["rope", ropeParts.filter((part) => part !== null).join(", ")]);
  if (info.moe) {
    const moe = info.moe;
    rows.push([
      "experts",
      `${moe.expertUsedCount} of ${moe.expertCount} used (${(moe.fractionActive * 100).toFixed(1)}%), ` +
        `${formatCount(moe.activeParameterCount)} active parameters per token`,
    ]);
  }
  rows.push(...kvCacheRows(info, ubatch));
  return rows;
}

/** What the KV cache costs, layer group by layer group, as llama.cpp allocates it; or why it is unknown. */
function kvCacheRows(info: ModelInfo, ubatch: number | undefined): [string, string][] {
  const layout = info.kvCache;
  if (layout?.status === "unknown") return [["KV cache per token", `unknown: ${layout.reason}`]];
  const rows: [string, string][] = [];
  const perToken = (f16: number, q8_0: number) =>
    `f16 ${formatBytes(f16)}, q8_0 ${formatBytes(q8_0)} (per 1K tokens: ${formatBytes(f16 * 1024)} / ${formatBytes(q8_0 * 1024)})`;
  const fullOnly = layout?.status === "known" && layout.slidingWindow !== null;
  if (info.kvBytesPerToken) {
    const { f16, q8_0 } = info.kvBytesPerToken;
    rows.push([fullOnly ? "KV cache per token (full layers)" : "KV cache per token", perToken(f16, q8_0)]);
  }
  if (!layout) return rows;
  const swa = layout.slidingWindow;
  const parts: string[] = [`${grouped(layout.full.layers)} full attention`];
  if (swa) {
    parts.push(
      `${grouped(swa.layers)} ${swa.chunked ? "chunked attention" : "sliding window"} of ${grouped(swa.windowTokens)} ` +
        "tokens (cache: window + n_ubatch cells, padded to 256)",
    );
  }
  if (layout.mla) parts.push("MLA: compressed K cache only (kv_lora_rank + rope dims), no V");
  if (layout.recurrent) parts.push(`${grouped(layout.recurrent.layers)} recurrent`);
  rows.push(["KV cache layers", parts.join("; ")]);
  if (swa && layout?.status === "known") {
    // A fixed size once the context passes it: never "per 1K tokens" (it does not grow with the context).
    const elements = swa.kElementsPerToken + swa.vElementsPerToken;
    const perCell = `per cell f16 ${formatBytes(elements * 2)}, q8_0 ${formatBytes((elements * 34) / 32)}`;
    if (ubatch === undefined) {
      rows.push(["sliding-window cache", `window + n_ubatch cells, padded to 256, whatever the context; ${perCell}`]);
    } else {
      const cells = kvCells(layout, Number.MAX_SAFE_INTEGER, ubatch).slidingWindow;
      rows.push([
        "sliding-window cache",
        `fixed at ${grouped(cells)} cells (window ${grouped(swa.windowTokens)} + n_ubatch ${grouped(ubatch)}, padded to 256; ` +
          `fewer below that context): f16 ${formatBytes(cells * elements * 2)}, q8_0 ${formatBytes((cells * elements * 34) / 32)}; ${perCell}`,
      ]);
    }
  }
  if (layout.recurrent) {
    rows.push([
      "recurrent state",
      `${formatBytes(layout.recurrent.stateBytes)} per sequence (f32), whatever the context`,
    ]);
  }
  return rows;
}

/** " (gpt2 (byte-level BPE) tokenizer, 280,147 merges)": the stored tokenizer model (untrusted, as the name: renderers escape rows) and its merges. */
export function tokenizerText(tokenizer: ModelInfo["tokenizer"]): string {
  if (!tokenizer || tokenizer.model === null) return "";
  const merges = tokenizer.mergeCount > 0 ? `, ${grouped(tokenizer.mergeCount)} merges` : "";
  const kind = tokenizerKind(tokenizer.model);
  return ` (${tokenizer.model}${kind ? ` (${kind})` : ""} tokenizer${merges})`;
}

/** llama.cpp's tokenizer model names (tokenizer.ggml.model) in words: "llama" → SentencePiece, "gpt2" → BPE. */
export function tokenizerKind(model: string | null): string | null {
  return model === "llama" ? "SentencePiece" : model === "gpt2" ? "byte-level BPE" : null;
}
