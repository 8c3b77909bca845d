import { synthTypedTensors } from "../gguf/synthesize.ts";
import { layoutTensors } from "../gguf/writeGgufFile.ts";
import type { WhatIfSpec } from "./parseWhatIf.ts";

/**
 * Room for the header on top of the tensor data: the synthetic tokenizer's strings and scores (a 262 144-token
 * vocabulary takes about 5 MiB) plus the tensor table.
 */
const HEADER_ALLOWANCE_BYTES = 16 * 1024 * 1024;

/** About how large the what-if file will be, from its shape and types, before writing a byte. */
export function whatIfFileBytes(spec: WhatIfSpec): number {
  const { tensors } = synthTypedTensors(spec.arch, spec.preset, spec.type);
  const { dataBytes } = layoutTensors(tensors, 32);
  return dataBytes + HEADER_ALLOWANCE_BYTES;
}
