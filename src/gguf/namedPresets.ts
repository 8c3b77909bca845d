import type { SynthArch } from "./synthArchs.ts";
import type { PresetShape } from "./synthShape.ts";

/** A published model's shape (random weights, real hyper-parameters) and where the numbers come from. */
export interface NamedPreset {
  arch: SynthArch;
  shape: PresetShape;
  source: string;
}

const common = { slidingWindow: 0, tiedEmbeddings: false };
const llama3 = { ...common, vocab: 128_256, ctx: 131_072, ropeBase: 500_000 };
const qwen = { ...common, ropeBase: 1_000_000 };

/** Hyper-parameters from each model's config.json on Hugging Face (text model; head size written when it is not
 * embd / heads). "seed-*" are the four models of the user's report (../shared/seed/model-benchmark-report.md). */
export const NAMED_PRESETS: Readonly<Record<string, NamedPreset>> = {
  "llama-3.2-1b": {
    arch: "llama",
    shape: { ...llama3, embd: 2048, layers: 16, heads: 32, kvHeads: 8, ff: 8192, tiedEmbeddings: true },
    source: "meta-llama/Llama-3.2-1B config.json",
  },
  "llama-3.2-3b": {
    arch: "llama",
    shape: { ...llama3, embd: 3072, layers: 28, heads: 24, kvHeads: 8, ff: 8192, tiedEmbeddings: true },
    source: "meta-llama/Llama-3.2-3B config.json",
  },
  "llama-3.1-8b": {
    arch: "llama",
    shape: { ...llama3, embd: 4096, layers: 32, heads: 32, kvHeads: 8, ff: 14_336 },
    source: "meta-llama/Llama-3.1-8B config.json",
  },
  "qwen2.5-0.5b": {
    arch: "qwen2",
    shape: {
      ...qwen,
      embd: 896,
      layers: 24,
      heads: 14,
      kvHeads: 2,
      ff: 4864,
      vocab: 151_936,
      ctx: 32_768,
      tiedEmbeddings: true,
    },
    source: "Qwen/Qwen2.5-0.5B-Instruct config.json",
  },
  "qwen2.5-7b": {
    arch: "qwen2",
    shape: { ...qwen, embd: 3584, layers: 28, heads: 28, kvHeads: 4, ff: 18_944, vocab: 152_064, ctx: 32_768 },
    source: "Qwen/Qwen2.5-7B-Instruct config.json",
  },
  "qwen2.5-14b": {
    arch: "qwen2",
    shape: { ...qwen, embd: 5120, layers: 48, heads: 40, kvHeads: 8, ff: 13_824, vocab: 152_064, ctx: 32_768 },
    source: "Qwen/Qwen2.5-14B-Instruct config.json",
  },
  "qwen3-0.6b": {
    arch: "qwen3",
    shape: {
      ...qwen,
      embd: 1024,
      layers: 28,
      heads: 16,
      kvHeads: 8,
      headDim: 128,
      ff: 3072,
      vocab: 151_936,
      ctx: 40_960,
      tiedEmbeddings: true,
    },
    source: "Qwen/Qwen3-0.6B config.json",
  },
  "qwen3-8b": {
    arch: "qwen3",
    shape: {
      ...qwen,
      embd: 4096,
      layers: 36,
      heads: 32,
      kvHeads: 8,
      headDim: 128,
      ff: 12_288,
      vocab: 151_936,
      ctx: 40_960,
    },
    source: "Qwen/Qwen3-8B config.json",
  },
  "qwen3-30b-a3b": {
    arch: "qwen3moe",
    shape: {
      ...qwen,
      embd: 2048,
      layers: 48,
      heads: 32,
      kvHeads: 4,
      headDim: 128,
      ff: 768,
      experts: 128,
      expertsUsed: 8,
      vocab: 151_936,
      ctx: 40_960,
    },
    source: "Qwen/Qwen3-30B-A3B config.json (ff = moe_intermediate_size)",
  },
  "gemma-3-1b": {
    arch: "gemma3",
    shape: {
      embd: 1152,
      layers: 26,
      heads: 4,
      kvHeads: 1,
      headDim: 256,
      ff: 6912,
      vocab: 262_144,
      ctx: 32_768,
      ropeBase: 1_000_000,
      slidingWindow: 512,
      tiedEmbeddings: true,
    },
    source: "google/gemma-3-1b-it config.json",
  },
  "gemma-3-4b": {
    arch: "gemma3",
    shape: {
      embd: 2560,
      layers: 34,
      heads: 8,
      kvHeads: 4,
      headDim: 256,
      ff: 10_240,
      vocab: 262_208,
      ctx: 131_072,
      ropeBase: 1_000_000,
      slidingWindow: 1024,
      tiedEmbeddings: true,
    },
    source: "google/gemma-3-4b-it config.json (text_config)",
  },
  "gemma-3-12b": {
    arch: "gemma3",
    shape: {
      embd: 3840,
      layers: 48,
      heads: 16,
      kvHeads: 8,
      headDim: 256,
      ff: 15_360,
      vocab: 262_208,
      ctx: 131_072,
      ropeBase: 1_000_000,
      slidingWindow: 1024,
      tiedEmbeddings: true,
    },
    source: "google/gemma-3-12b-it config.json (text_config)",
  },
  "phi-3-mini": {
    arch: "phi3",
    shape: {
      ...common,
      embd: 3072,
      layers: 32,
      heads: 32,
      kvHeads: 32,
      ff: 8192,
      vocab: 32_064,
      ctx: 4096,
      ropeBase: 10_000,
    },
    source: "microsoft/Phi-3-mini-4k-instruct config.json",
  },
  "mistral-7b": {
    arch: "llama",
    shape: {
      ...common,
      embd: 4096,
      layers: 32,
      heads: 32,
      kvHeads: 8,
      ff: 14_336,
      vocab: 32_768,
      ctx: 32_768,
      ropeBase: 1_000_000,
    },
    source: "mistralai/Mistral-7B-Instruct-v0.3 config.json",
  },
  "mistral-nemo-12b": {
    arch: "llama",
    shape: {
      ...common,
      embd: 5120,
      layers: 40,
      heads: 32,
      kvHeads: 8,
      headDim: 128,
      ff: 14_336,
      vocab: 131_072,
      ctx: 1_024_000,
      ropeBase: 1_000_000,
    },
    source: "mistralai/Mistral-Nemo-Instruct-2407 config.json",
  },
  "gpt-oss-20b": {
    arch: "gpt-oss",
    shape: {
      embd: 2880,
      layers: 24,
      heads: 64,
      kvHeads: 8,
      headDim: 64,
      ff: 2880,
      experts: 32,
      expertsUsed: 4,
      vocab: 201_088,
      ctx: 131_072,
      ropeBase: 150_000,
      slidingWindow: 128,
      tiedEmbeddings: false,
    },
    source: "openai/gpt-oss-20b config.json",
  },
  "deepseek-v2-lite": {
    arch: "deepseek2",
    shape: {
      ...common,
      embd: 2048,
      layers: 27,
      heads: 16,
      kvHeads: 1,
      headDim: 192,
      ff: 1408,
      experts: 64,
      expertsUsed: 6,
      vocab: 102_400,
      ctx: 163_840,
      ropeBase: 10_000,
      mla: {
        qLoraRank: 0,
        kvLoraRank: 512,
        ropeDim: 64,
        valueDim: 128,
        sharedExperts: 2,
        leadingDense: 1,
        denseFf: 10_944,
      },
    },
    source: "deepseek-ai/DeepSeek-V2-Lite config.json (headDim = qk_nope + qk_rope, ff = moe_intermediate_size)",
  },
  "seed-moe-4x7b": {
    arch: "llama-moe",
    shape: {
      ...common,
      embd: 4096,
      layers: 32,
      heads: 32,
      kvHeads: 8,
      ff: 14_336,
      experts: 4,
      expertsUsed: 4,
      vocab: 32_000,
      ctx: 32_768,
      ropeBase: 10_000,
    },
    source:
      "user's report: M-MOE-4X7B (llama, embd 4096, 32 layers, 32 heads, vocab 32000, 4 experts, context 32768, " +
      "RoPE 10000, 4 experts used per token as the report's 'Active Experts: 4'); 8 KV heads and ff 14336 assumed, " +
      "as in Mistral-7B-based 4x7B merges",
  },
  "seed-ayla-12b": {
    arch: "llama",
    shape: {
      ...common,
      embd: 5120,
      layers: 40,
      heads: 32,
      kvHeads: 8,
      headDim: 128,
      ff: 14_336,
      vocab: 131_072,
      ctx: 1_024_000,
      ropeBase: 1_000_000,
    },
    source:
      "user's report: Ayla 12B (llama, embd 5120, 40 layers, 32 heads, vocab 131072, RoPE 1e6, context 1024000); " +
      "KV heads, head size and ff from Mistral-Nemo-12B, whose shape it has",
  },
  "seed-deepseek-14b": {
    arch: "qwen2",
    shape: { ...qwen, embd: 5120, layers: 48, heads: 40, kvHeads: 8, ff: 13_824, vocab: 151_665, ctx: 131_072 },
    source:
      "user's report: DeepSeek 14B (qwen2, embd 5120, 48 layers, 40 heads, vocab 151665, context 131072, RoPE 1e6); " +
      "KV heads and ff from Qwen2.5-14B, the base of DeepSeek-R1-Distill-Qwen-14B",
  },
  "seed-wizardlm-7b": {
    arch: "llama",
    shape: {
      ...common,
      embd: 4096,
      layers: 32,
      heads: 32,
      kvHeads: 32,
      ff: 11_008,
      vocab: 32_000,
      ctx: 2048,
      ropeBase: 10_000,
    },
    source: "user's report: WizardLM 7B (context 2048); the LLaMA-7B / Llama-2-7B shape it is fine-tuned from",
  },
};

/** `--what-if seed`: the user's four models, as the Q4_K_M files people download. */
export const SEED_WHAT_IFS: readonly string[] = [
  "llama-moe:seed-moe-4x7b:q4_k_m",
  "llama:seed-ayla-12b:q4_k_m",
  "qwen2:seed-deepseek-14b:q4_k_m",
  "llama:seed-wizardlm-7b:q4_k_m",
];
