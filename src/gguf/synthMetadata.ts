import { fileTypeForName } from "./fileTypes.ts";
import type { GgufMetadata, GgufValue } from "./ggufValue.ts";
import { type SynthArch, synthArchSpec } from "./synthArchs.ts";
import type { SynthShape } from "./synthShape.ts";
import { type SynthTokenizerChoice, synthBpeTokenizer, synthTokenizer } from "./synthTokenizer.ts";

const u32 = (value: number): GgufValue => ({ type: "u32", value });
const f32 = (value: number): GgufValue => ({ type: "f32", value });
const str = (value: string): GgufValue => ({ type: "string", value });
const bool = (value: boolean): GgufValue => ({ type: "bool", value });

/**
 * The GGUF metadata llama.cpp reads for `arch` (src/llama-model.cpp load_hparams and each model's
 * load_arch_hparams), written the way llama.cpp's converter writes it for the real models: key_length /
 * value_length when the head size is not embd / heads (and always for the families whose files carry it),
 * sliding_window for gemma3 and gpt-oss (their layer patterns are llama.cpp's defaults, 6 and 2, not written,
 * as in the real files), the MLA keys for deepseek2, expert_feed_forward_length for the MoE families that read it.
 * `tokenizer` picks SentencePiece (default) or byte-level BPE (synthTokenizer.ts); UsageError for too many merges.
 */
export function synthMetadata(
  arch: SynthArch,
  s: SynthShape,
  fileType: string,
  name: string,
  alignment: number,
  tokenizer: SynthTokenizerChoice = { kind: "spm" },
): GgufMetadata {
  const a = synthArchSpec(arch).gguf;
  const entries: [string, GgufValue][] = [
    ["general.architecture", str(a)],
    ["general.name", str(name)],
    ["general.alignment", u32(alignment)],
    ["general.file_type", u32(fileTypeForName(fileType))],
    ["general.quantization_version", u32(2)],
    [`${a}.context_length`, u32(s.ctx)],
    [`${a}.embedding_length`, u32(s.embd)],
    [`${a}.block_count`, u32(s.layers)],
    [`${a}.feed_forward_length`, u32(s.mla ? s.mla.denseFf : s.ff)],
    [`${a}.attention.head_count`, u32(s.heads)],
    [`${a}.attention.head_count_kv`, u32(s.kvHeads)],
    [`${a}.attention.layer_norm_rms_epsilon`, f32(synthArchSpec(arch).normEps)],
    [`${a}.rope.dimension_count`, u32(s.mla ? s.mla.ropeDim : s.headDim)],
    [`${a}.rope.freq_base`, f32(s.ropeBase)],
    [`${a}.vocab_size`, u32(s.vocab)],
  ];
  const alwaysHeadSize = arch === "qwen3" || arch === "qwen3moe" || arch === "gemma3" || arch === "gpt-oss";
  if (s.mla) {
    const m = s.mla;
    entries.push(
      // The cached, compressed head: kv_lora_rank + RoPE part for K, kv_lora_rank for V.
      [`${a}.attention.key_length`, u32(m.kvLoraRank + m.ropeDim)],
      [`${a}.attention.value_length`, u32(m.kvLoraRank)],
      [`${a}.attention.key_length_mla`, u32(s.headDim)],
      [`${a}.attention.value_length_mla`, u32(m.valueDim)],
      [`${a}.attention.kv_lora_rank`, u32(m.kvLoraRank)],
      [`${a}.leading_dense_block_count`, u32(m.leadingDense)],
      [`${a}.expert_shared_count`, u32(m.sharedExperts)],
      [`${a}.expert_weights_scale`, f32(1)],
      [`${a}.expert_weights_norm`, bool(false)],
      [`${a}.expert_gating_func`, u32(1)], // softmax, DeepSeek-V2's router
    );
    if (m.qLoraRank > 0) entries.push([`${a}.attention.q_lora_rank`, u32(m.qLoraRank)]);
  } else if (alwaysHeadSize || s.headDim * s.heads !== s.embd) {
    entries.push([`${a}.attention.key_length`, u32(s.headDim)], [`${a}.attention.value_length`, u32(s.headDim)]);
  }
  if (s.slidingWindow > 0) entries.push([`${a}.attention.sliding_window`, u32(s.slidingWindow)]);
  if (arch === "gpt-oss") {
    // gpt-oss extends its 4096-token training context with YaRN, factor 32 (config.json rope_scaling).
    entries.push(
      [`${a}.rope.scaling.type`, str("yarn")],
      [`${a}.rope.scaling.factor`, f32(32)],
      [`${a}.rope.scaling.original_context_length`, u32(4096)],
    );
  }
  if (s.experts > 0) {
    entries.push([`${a}.expert_count`, u32(s.experts)], [`${a}.expert_used_count`, u32(s.expertsUsed)]);
    if (arch !== "llama-moe") entries.push([`${a}.expert_feed_forward_length`, u32(s.ff)]);
  }
  // llama.cpp sets attributes of Phi-3's <|endoftext|> by name when the model name says phi3 (llama-vocab.cpp).
  const control = arch === "phi3" ? ["<|endoftext|>"] : [];
  entries.push(
    ...(tokenizer.kind === "bpe"
      ? synthBpeTokenizer(s.vocab, tokenizer.merges, control, bpePreTokenizer(arch))
      : synthTokenizer(s.vocab, control)),
  );
  return new Map(entries);
}

/**
 * The pre-tokenizer (`tokenizer.ggml.pre`) the real BPE files of `arch`'s family carry and llama.cpp maps to its
 * split regex (src/llama-vocab.cpp): qwen2/qwen3 "qwen2", gpt-oss "gpt-4o", the others llama 3's "llama-bpe".
 */
function bpePreTokenizer(arch: SynthArch): string {
  if (arch === "qwen2" || arch === "qwen3" || arch === "qwen3moe") return "qwen2";
  return arch === "gpt-oss" ? "gpt-4o" : "llama-bpe";
}
