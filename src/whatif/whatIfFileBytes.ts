import { resolveSynthShape } from "../gguf/synthPresets.ts";
import { synthTensors } from "../gguf/synthTensors.ts";
import { layoutTensors } from "../gguf/writeGgufFile.ts";
import type { WhatIfSpec } from "./parseWhatIf.ts";

/**
 * Room for the header on top of the tensor data: the synthetic tokenizer's strings and scores (a 32 000-token
 * vocabulary takes well under 1 MiB) plus the tensor table.
 */
const HEADER_ALLOWANCE_BYTES = 16 * 1024 * 1024;

/** About how large the what-if file will be, from its shape, before writing a byte. */
export function whatIfFileBytes(spec: WhatIfSpec): number {
  const typeName = spec.type.toUpperCase();
  const shape = resolveSynthShape(spec.arch, spec.preset, typeName.startsWith("Q"));
  const { dataBytes } = layoutTensors(synthTensors(spec.arch, shape, typeName), 32);
  return dataBytes + HEADER_ALLOWANCE_BYTES;
}
