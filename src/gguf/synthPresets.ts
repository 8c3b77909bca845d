import { UsageError } from "../errors.ts";

export interface SynthShape {
  embd: number;
  layers: number;
  heads: number;
  kvHeads: number;
  ff: number;
  vocab: number;
  ctx: number;
  /** 0 for a dense model. */
  experts: number;
  expertsUsed: number;
  seed: number;
}

type DenseShape = Omit<SynthShape, "experts" | "expertsUsed" | "seed">;

// Every width is a multiple of 32 so each preset also works as Q8_0/Q4_0 (32-value blocks).
const DENSE_PRESETS: Record<string, DenseShape> = {
  /** Loads and runs a full benchmark in seconds. */
  tiny: { embd: 64, layers: 2, heads: 4, kvHeads: 2, ff: 128, vocab: 512, ctx: 1024 },
  /** ~25M parameters. */
  "25m": { embd: 512, layers: 5, heads: 8, kvHeads: 8, ff: 1536, vocab: 8192, ctx: 2048 },
  /** ~300M parameters. */
  "300m": { embd: 1024, layers: 20, heads: 16, kvHeads: 8, ff: 2816, vocab: 32000, ctx: 2048 },
  /** TinyLlama-1.1B shape. */
  "1b": { embd: 2048, layers: 22, heads: 32, kvHeads: 4, ff: 5632, vocab: 32000, ctx: 2048 },
  /** Llama-2-7B shape. */
  "7b": { embd: 4096, layers: 32, heads: 32, kvHeads: 32, ff: 11008, vocab: 32000, ctx: 4096 },
};

export const SYNTH_PRESET_NAMES = Object.keys(DENSE_PRESETS);

/** llama-moe presets use the dense shape with this many experts (each of the dense feed-forward size). */
const MOE_DEFAULT = { experts: 4, expertsUsed: 2 } as const;
const DEFAULT_SEED = 1;

/** The vocabulary needs <unk>, <s>, </s> and the 256 byte tokens before any word piece. */
export const MIN_SYNTH_VOCAB = 3 + 256 + 1;
const MAX_SYNTH_VOCAB = 1 << 20;

export function resolveSynthShape(
  arch: string,
  preset: string,
  quantized: boolean,
  overrides: Partial<SynthShape> = {},
): SynthShape {
  const base = DENSE_PRESETS[preset];
  if (!base) throw new UsageError(`unknown preset '${preset}' (choose one of ${SYNTH_PRESET_NAMES.join(", ")})`);
  const moe = arch === "llama-moe" ? MOE_DEFAULT : { experts: 0, expertsUsed: 0 };
  const shape: SynthShape = { ...base, ...moe, seed: DEFAULT_SEED };
  for (const [key, value] of Object.entries(overrides)) {
    if (value !== undefined) shape[key as keyof SynthShape] = value;
  }
  checkShape(arch, shape, quantized);
  return shape;
}

function checkShape(arch: string, s: SynthShape, quantized: boolean): void {
  for (const [key, value] of Object.entries(s)) {
    const min = key === "experts" || key === "expertsUsed" || key === "seed" ? 0 : 1;
    if (!Number.isSafeInteger(value) || value < min)
      throw new UsageError(`--${flag(key)} must be an integer >= ${min}`);
  }
  if (s.embd % s.heads !== 0) throw new UsageError(`--embd ${s.embd} must be a multiple of --heads ${s.heads}`);
  if ((s.embd / s.heads) % 2 !== 0)
    throw new UsageError(`head size ${s.embd / s.heads} (embd / heads) must be even for RoPE`);
  if (s.heads % s.kvHeads !== 0)
    throw new UsageError(`--heads ${s.heads} must be a multiple of --kv-heads ${s.kvHeads}`);
  if (s.vocab < MIN_SYNTH_VOCAB || s.vocab > MAX_SYNTH_VOCAB) {
    throw new UsageError(`--vocab must be between ${MIN_SYNTH_VOCAB} and ${MAX_SYNTH_VOCAB}`);
  }
  if (quantized && (s.embd % 32 !== 0 || s.ff % 32 !== 0)) {
    throw new UsageError(`quantized types need --embd and --ff to be multiples of 32 (got ${s.embd}, ${s.ff})`);
  }
  if (arch === "llama-moe") {
    if (s.experts < 1) throw new UsageError("llama-moe needs --experts >= 1");
    if (s.expertsUsed < 1 || s.expertsUsed > s.experts) {
      throw new UsageError(`--experts-used must be between 1 and --experts (${s.experts})`);
    }
  } else if (s.experts > 0) {
    throw new UsageError(`--experts applies only to --arch llama-moe`);
  }
}

function flag(key: string): string {
  return key === "kvHeads" ? "kv-heads" : key === "expertsUsed" ? "experts-used" : key;
}
