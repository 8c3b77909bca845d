import { UsageError } from "../errors.ts";
import { SYNTH_ARCHS, SYNTH_TYPES, type SynthArch, type SynthType } from "../gguf/synthesize.ts";
import { SYNTH_PRESET_NAMES } from "../gguf/synthPresets.ts";

export interface WhatIfSpec {
  arch: SynthArch;
  preset: string;
  type: SynthType;
}

/** `<arch>:<preset>:<type>`, e.g. `llama:7b:q4_0`; case-insensitive. A bad spec is a UsageError naming the choices. */
export function parseWhatIf(spec: string): WhatIfSpec {
  const parts = spec.trim().toLowerCase().split(":");
  const usage = `--what-if '${spec}'`;
  if (parts.length !== 3 || parts.some((part) => part === "")) {
    throw new UsageError(`${usage}: expected <arch>:<preset>:<type>, e.g. llama:7b:q4_0`);
  }
  const [arch, preset, type] = parts as [string, string, string];
  if (!(SYNTH_ARCHS as readonly string[]).includes(arch)) {
    throw new UsageError(`${usage}: unknown arch '${arch}' (choose one of ${SYNTH_ARCHS.join(", ")})`);
  }
  if (!SYNTH_PRESET_NAMES.includes(preset)) {
    throw new UsageError(`${usage}: unknown preset '${preset}' (choose one of ${SYNTH_PRESET_NAMES.join(", ")})`);
  }
  if (!(SYNTH_TYPES as readonly string[]).includes(type)) {
    throw new UsageError(`${usage}: unknown type '${type}' (choose one of ${SYNTH_TYPES.join(", ")})`);
  }
  return { arch: arch as SynthArch, preset, type: type as SynthType };
}

/** The label every output shows for a what-if model: says what it is and that it is synthetic. */
export function whatIfLabel(spec: WhatIfSpec): string {
  return `what-if ${spec.arch} ${spec.preset} ${spec.type} (synthetic)`;
}
