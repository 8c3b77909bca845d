import { UsageError } from "../errors.ts";
import { NAMED_PRESETS } from "./namedPresets.ts";
import { type SynthArch, synthArchSpec } from "./synthArchs.ts";
import { checkShape, type PresetShape, type ShapeOverrides, type SynthShape } from "./synthShape.ts";

const size = { ctx: 2048, ropeBase: 10_000, slidingWindow: 0, tiedEmbeddings: false };

/** Dense llama-style sizes for llama, qwen2 and llama-moe (which gives each of its experts the dense ff). */
const SIZE_PRESETS: Readonly<Record<string, PresetShape>> = {
  /** ~25M parameters. */
  "25m": { ...size, embd: 512, layers: 5, heads: 8, kvHeads: 8, ff: 1536, vocab: 8192 },
  /** ~300M parameters. */
  "300m": { ...size, embd: 1024, layers: 20, heads: 16, kvHeads: 8, ff: 2816, vocab: 32000 },
  /** TinyLlama-1.1B shape. */
  "1b": { ...size, embd: 2048, layers: 22, heads: 32, kvHeads: 4, ff: 5632, vocab: 32000 },
  /** Llama-2-7B shape. */
  "7b": { ...size, embd: 4096, layers: 32, heads: 32, kvHeads: 32, ff: 11008, vocab: 32000, ctx: 4096 },
};

/** llama-moe size presets: the dense shape with this many experts (each of the dense feed-forward size). */
const MOE_DEFAULT = { experts: 4, expertsUsed: 2 } as const;
const DEFAULT_SEED = 1;

/** Every preset name of any architecture: tiny, the sizes, the named models. */
export const SYNTH_PRESET_NAMES: readonly string[] = [
  "tiny",
  ...Object.keys(SIZE_PRESETS),
  ...Object.keys(NAMED_PRESETS),
];

/** The presets one architecture accepts, in listing order. */
export function presetNamesFor(arch: SynthArch): string[] {
  const sizes = synthArchSpec(arch).sizePresets ? Object.keys(SIZE_PRESETS) : [];
  const named = Object.entries(NAMED_PRESETS)
    .filter(([, p]) => p.arch === arch)
    .map(([name]) => name);
  return ["tiny", ...sizes, ...named];
}

/** Where a preset's numbers come from, for `synth --list`. */
export function presetSource(preset: string): string {
  if (preset === "tiny") return "gguf-bench: a full benchmark in seconds";
  const named = NAMED_PRESETS[preset];
  if (named) return named.source;
  return preset === "1b" ? "TinyLlama-1.1B shape" : preset === "7b" ? "Llama-2-7B shape" : "gguf-bench size preset";
}

/**
 * The shape of `preset` for `arch` with the user's overrides applied and checked. UsageError for an unknown
 * preset, a preset of another architecture, or a bad value (naming the option).
 */
export function resolveSynthShape(arch: SynthArch, preset: string, overrides: ShapeOverrides = {}): SynthShape {
  const spec = synthArchSpec(arch);
  const base = presetShape(arch, preset);
  const moe = spec.moe
    ? { experts: base.experts ?? MOE_DEFAULT.experts, expertsUsed: base.expertsUsed ?? MOE_DEFAULT.expertsUsed }
    : {};
  const merged = { experts: 0, expertsUsed: 0, mla: null, ...base, ...moe, seed: DEFAULT_SEED };
  for (const [key, value] of Object.entries(overrides)) {
    if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
  }
  if (merged.headDim === undefined) {
    if (!Number.isSafeInteger(merged.embd) || !Number.isSafeInteger(merged.heads) || merged.heads < 1) {
      throw new UsageError("--embd and --heads must be integers >= 1");
    }
    if (merged.embd % merged.heads !== 0) {
      throw new UsageError(`--embd ${merged.embd} must be a multiple of --heads ${merged.heads}`);
    }
  }
  const shape: SynthShape = { ...merged, headDim: merged.headDim ?? merged.embd / merged.heads };
  checkShape(shape, spec.moe);
  return shape;
}

function presetShape(arch: SynthArch, preset: string): PresetShape {
  const spec = synthArchSpec(arch);
  if (preset === "tiny") return spec.tiny;
  const sized = spec.sizePresets ? SIZE_PRESETS[preset] : undefined;
  if (sized) return { ...sized, ropeBase: spec.tiny.ropeBase }; // qwen2 keeps its family's 1e6
  const named = NAMED_PRESETS[preset];
  if (named?.arch === arch) return named.shape;
  throw new UsageError(unknownPresetText(arch, preset));
}

/** Why `preset` is not one of `arch`'s: another architecture's named shape, or unknown (with the choices). */
export function unknownPresetText(arch: SynthArch, preset: string): string {
  const named = NAMED_PRESETS[preset];
  if (named && named.arch !== arch) return `preset '${preset}' is a ${named.arch} shape, not ${arch}`;
  return `unknown preset '${preset}' for ${arch} (choose one of ${presetNamesFor(arch).join(", ")})`;
}
