import type { PresetShape } from "./synthShape.ts";

/** One architecture `synth` can write. */
export interface SynthArchSpec {
  /** general.architecture */
  gguf: string;
  /** Needs experts (expert_count, expert_used_count). */
  moe: boolean;
  /** attention.layer_norm_rms_epsilon, as the real models of the family write it. */
  normEps: number;
  /** A shape that loads and runs a full benchmark in seconds. Widths are multiples of 256 (the k-quant block)
   * for the new architectures, so a k-quant mix really runs k-quant kernels. */
  tiny: PresetShape;
  /** Also accepts the size presets 25m / 300m / 1b / 7b (dense llama-style shapes). */
  sizePresets: boolean;
}

const base = { ctx: 1024, vocab: 512, ropeBase: 10_000, slidingWindow: 0, tiedEmbeddings: false };
const tiny256 = { ...base, embd: 256, layers: 2, heads: 4, kvHeads: 2, headDim: 64, ff: 512 };

export const SYNTH_ARCH_SPECS = {
  llama: {
    gguf: "llama",
    moe: false,
    normEps: 1e-5,
    sizePresets: true,
    tiny: { ...base, embd: 64, layers: 2, heads: 4, kvHeads: 2, ff: 128 },
  },
  qwen2: {
    gguf: "qwen2",
    moe: false,
    normEps: 1e-6,
    sizePresets: true,
    tiny: { ...base, embd: 64, layers: 2, heads: 4, kvHeads: 2, ff: 128, ropeBase: 1_000_000 },
  },
  "llama-moe": {
    gguf: "llama",
    moe: true,
    normEps: 1e-5,
    sizePresets: true,
    tiny: { ...base, embd: 64, layers: 2, heads: 4, kvHeads: 2, ff: 128, experts: 4, expertsUsed: 2 },
  },
  qwen3: {
    gguf: "qwen3",
    moe: false,
    normEps: 1e-6,
    sizePresets: false,
    tiny: { ...tiny256, ropeBase: 1_000_000, tiedEmbeddings: true },
  },
  qwen3moe: {
    gguf: "qwen3moe",
    moe: true,
    normEps: 1e-6,
    sizePresets: false,
    tiny: { ...tiny256, ff: 256, experts: 4, expertsUsed: 2, ropeBase: 1_000_000 },
  },
  gemma3: {
    gguf: "gemma3",
    moe: false,
    normEps: 1e-6,
    sizePresets: false,
    // Six layers: five sliding-window layers and one global one, gemma 3's pattern.
    tiny: { ...tiny256, layers: 6, kvHeads: 1, slidingWindow: 128, ropeBase: 1_000_000, tiedEmbeddings: true },
  },
  phi3: {
    gguf: "phi3",
    moe: false,
    normEps: 1e-5,
    sizePresets: false,
    tiny: { ...tiny256, kvHeads: 4 },
  },
  "gpt-oss": {
    gguf: "gpt-oss",
    moe: true,
    normEps: 1e-5,
    sizePresets: false,
    tiny: { ...tiny256, ff: 256, experts: 4, expertsUsed: 2, slidingWindow: 64, ropeBase: 150_000 },
  },
  deepseek2: {
    gguf: "deepseek2",
    moe: true,
    normEps: 1e-6,
    sizePresets: false,
    tiny: {
      ...tiny256,
      kvHeads: 1, // MLA caches one compressed head: llama.cpp's deepseek2 files say head_count_kv 1
      headDim: 96,
      ff: 256,
      experts: 4,
      expertsUsed: 2,
      mla: {
        qLoraRank: 256,
        kvLoraRank: 256,
        ropeDim: 32,
        valueDim: 64,
        sharedExperts: 1,
        leadingDense: 1,
        denseFf: 512,
      },
    },
  },
} as const satisfies Record<string, SynthArchSpec>;

export type SynthArch = keyof typeof SYNTH_ARCH_SPECS;
export const SYNTH_ARCHS = Object.keys(SYNTH_ARCH_SPECS) as SynthArch[];

export function synthArchSpec(arch: SynthArch): SynthArchSpec {
  return SYNTH_ARCH_SPECS[arch];
}
