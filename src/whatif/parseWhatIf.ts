import { UsageError } from "../errors.ts";
import { SEED_WHAT_IFS } from "../gguf/namedPresets.ts";
import { SYNTH_ARCHS, SYNTH_TYPES, type SynthArch, type SynthType } from "../gguf/synthesize.ts";
import { presetNamesFor, unknownPresetText } from "../gguf/synthPresets.ts";

export interface WhatIfSpec {
  arch: SynthArch;
  preset: string;
  type: SynthType;
}

/**
 * `<arch>:<preset>:<type>`, e.g. `llama:7b:q4_0` or `llama:llama-3.2-1b:q4_k_m`; case-insensitive. A bad spec
 * is a UsageError naming the part and the choices (the presets of that arch).
 */
export function parseWhatIf(spec: string): WhatIfSpec {
  const parts = spec.trim().toLowerCase().split(":");
  const usage = `--what-if '${spec}'`;
  if (parts.length !== 3 || parts.some((part) => part === "")) {
    throw new UsageError(`${usage}: expected <arch>:<preset>:<type> (e.g. llama:7b:q4_0) or seed`);
  }
  const [arch, preset, type] = parts as [string, string, string];
  if (!(SYNTH_ARCHS as readonly string[]).includes(arch)) {
    throw new UsageError(`${usage}: unknown arch '${arch}' (choose one of ${SYNTH_ARCHS.join(", ")})`);
  }
  if (!presetNamesFor(arch as SynthArch).includes(preset)) {
    throw new UsageError(`${usage}: ${unknownPresetText(arch as SynthArch, preset)}`);
  }
  if (!(SYNTH_TYPES as readonly string[]).includes(type)) {
    throw new UsageError(`${usage}: unknown type '${type}' (choose one of ${SYNTH_TYPES.join(", ")})`);
  }
  return { arch: arch as SynthArch, preset, type: type as SynthType };
}

/** The specs one `--what-if` value stands for: `seed` is the user's four models, anything else itself. */
export function expandWhatIf(spec: string): string[] {
  return spec.trim().toLowerCase() === "seed" ? [...SEED_WHAT_IFS] : [spec];
}

/** The label of a what-if model, e.g. "what-if llama 7b q4_0"; outputs add "(synthetic)" from the model's flag. */
export function whatIfLabel(spec: WhatIfSpec): string {
  return `what-if ${spec.arch} ${spec.preset} ${spec.type}`;
}
