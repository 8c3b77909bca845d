import { UsageError } from "../errors.ts";

/** Multi-head latent attention (deepseek2): the compressed KV and the dense/shared-expert parts around it. */
export interface MlaShape {
  /** attention.q_lora_rank; 0 = no Q compression (the "lite" models, which llama.cpp knows by 26/27 layers) */
  qLoraRank: number;
  /** attention.kv_lora_rank: width of the compressed KV that is cached */
  kvLoraRank: number;
  /** rope.dimension_count: the RoPE part of each query/key head */
  ropeDim: number;
  /** attention.value_length_mla */
  valueDim: number;
  /** expert_shared_count */
  sharedExperts: number;
  /** leading_dense_block_count: the first layers have a dense FFN of denseFf */
  leadingDense: number;
  /** feed_forward_length of the leading dense layers */
  denseFf: number;
}

/** Everything the synthesiser needs to write one model; widths in elements, ctx in tokens. */
export interface SynthShape {
  embd: number;
  layers: number;
  heads: number;
  kvHeads: number;
  /** attention.key_length = value_length (key_length_mla for deepseek2); embd / heads unless a preset says. */
  headDim: number;
  /** feed_forward_length; per expert for the MoE architectures. */
  ff: number;
  vocab: number;
  /** context_length (training context) */
  ctx: number;
  /** expert_count; 0 for a dense model. */
  experts: number;
  expertsUsed: number;
  /** rope.freq_base */
  ropeBase: number;
  /** attention.sliding_window of the sliding-window layers (gemma3, gpt-oss); 0 = none. */
  slidingWindow: number;
  /** No output.weight: the output layer reuses token_embd (tied embeddings). */
  tiedEmbeddings: boolean;
  /** deepseek2 only. */
  mla: MlaShape | null;
  seed: number;
}

/** What a preset states; headDim, when absent, follows embd / heads after overrides. */
export type PresetShape = Omit<SynthShape, "headDim" | "seed" | "mla" | "experts" | "expertsUsed"> &
  Partial<Pick<SynthShape, "headDim" | "mla" | "experts" | "expertsUsed">>;

/** Shape fields a user may override (`synth --embd …`). */
export type ShapeOverrides = Partial<
  Pick<
    SynthShape,
    "embd" | "layers" | "heads" | "kvHeads" | "headDim" | "ff" | "vocab" | "ctx" | "experts" | "expertsUsed" | "seed"
  >
>;

/** The vocabulary needs <unk>, <s>, </s> and the 256 byte tokens before any word piece. */
export const MIN_SYNTH_VOCAB = 3 + 256 + 1;
const MAX_SYNTH_VOCAB = 1 << 20;

/** Checks a resolved shape; a bad value is a UsageError naming the `synth` option. */
export function checkShape(s: SynthShape, moe: boolean): void {
  const counts = { ...s, mla: undefined, tiedEmbeddings: undefined, ropeBase: undefined };
  for (const [key, value] of Object.entries(counts)) {
    if (value === undefined) continue;
    const min = key === "experts" || key === "expertsUsed" || key === "seed" || key === "slidingWindow" ? 0 : 1;
    if (!Number.isSafeInteger(value) || (value as number) < min)
      throw new UsageError(`--${flag(key)} must be an integer >= ${min}`);
  }
  if (s.headDim % 2 !== 0) throw new UsageError(`head size ${s.headDim} must be even for RoPE`);
  if (s.heads % s.kvHeads !== 0)
    throw new UsageError(`--heads ${s.heads} must be a multiple of --kv-heads ${s.kvHeads}`);
  if (s.vocab < MIN_SYNTH_VOCAB || s.vocab > MAX_SYNTH_VOCAB) {
    throw new UsageError(`--vocab must be between ${MIN_SYNTH_VOCAB} and ${MAX_SYNTH_VOCAB}`);
  }
  if (moe) {
    if (s.experts < 1) throw new UsageError("a mixture-of-experts architecture needs --experts >= 1");
    if (s.expertsUsed < 1 || s.expertsUsed > s.experts) {
      throw new UsageError(`--experts-used must be between 1 and --experts (${s.experts})`);
    }
  } else if (s.experts > 0) {
    throw new UsageError("--experts applies only to the mixture-of-experts architectures");
  }
  // llama.cpp's deepseek2 graph reshapes the compressed K to one head (models/deepseek2.cpp): any other count
  // writes a file that aborts at load (GGML_ASSERT in ggml_mul_mat).
  if (s.mla && s.kvHeads !== 1) {
    throw new UsageError(`--kv-heads must be 1 with MLA (deepseek2 caches one compressed head), got ${s.kvHeads}`);
  }
  if (s.mla && s.mla.qLoraRank === 0 && !isDeepseek2Lite(s.layers, s.vocab)) {
    throw new UsageError(
      `--layers ${s.layers} needs attention.q_lora_rank, which this preset lacks: llama.cpp reads a deepseek2 ` +
        "model without it only as a lite one (26 or 27 layers, or 48 with a 128256-token vocabulary)",
    );
  }
  if (s.mla && s.mla.ropeDim >= s.headDim) {
    throw new UsageError(`--head-dim ${s.headDim} must exceed the MLA RoPE size ${s.mla.ropeDim}`);
  }
}

/**
 * llama.cpp's test for a deepseek2 "lite" model, the only kind it loads without attention.q_lora_rank
 * (llama_model_deepseek2::load_arch_hparams in src/models/deepseek2.cpp: n_layer 26 or 27, or 48 with
 * n_vocab 128256; n_vocab is the tokenizer's token count, which synth writes as --vocab).
 */
function isDeepseek2Lite(layers: number, vocab: number): boolean {
  return layers === 26 || layers === 27 || (layers === 48 && vocab === 128_256);
}

function flag(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
