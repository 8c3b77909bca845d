import { statfs } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { GgufBenchError, UsageError } from "../errors.ts";
import { ggmlTypeId } from "./ggmlTypes.ts";
import type { GgufMetadata } from "./ggufValue.ts";
import { llamaQuantTypes } from "./llamaQuantRules.ts";
import { formatBytes } from "./modelInfoRows.ts";
import { SYNTH_ARCHS, type SynthArch, synthArchSpec } from "./synthArchs.ts";
import { synthMetadata } from "./synthMetadata.ts";
import { resolveSynthShape } from "./synthPresets.ts";
import type { ShapeOverrides, SynthShape } from "./synthShape.ts";
import { synthTensors } from "./synthTensors.ts";
import type { SynthTokenizerChoice } from "./synthTokenizer.ts";
import { synthTypeNote } from "./synthTypeNote.ts";
import { SYNTH_TYPES, type SynthType, synthTypeSpec } from "./synthTypes.ts";
import { seededWeights } from "./weightPattern.ts";
import { ggufFileBytes, type TensorToWrite, writeGgufFile } from "./writeGgufFile.ts";

export { SYNTH_ARCHS, type SynthArch } from "./synthArchs.ts";
export type { SynthTokenizerChoice } from "./synthTokenizer.ts";
export { SYNTH_TYPES, type SynthType } from "./synthTypes.ts";

export interface SynthOptions {
  arch: SynthArch;
  /** "tiny", a size preset ("25m" … "7b") or a named model ("llama-3.2-1b", …): src/gguf/synthPresets.ts */
  preset: string;
  type: SynthType;
  out: string;
  overrides?: ShapeOverrides;
  /** Written as general.name (default: a label saying it is synthetic). */
  name?: string;
  /** SentencePiece (default: the files and fingerprints synth always wrote) or byte-level BPE with merges. */
  tokenizer?: SynthTokenizerChoice;
}
export interface SynthResult {
  path: string;
  parameterCount: number;
  bytes: number;
  /** Why the file holds none of the type's main weight type (synthTypeNote), else null. */
  typeNote: string | null;
}

const ALIGNMENT = 32;
/** Room left on the disk after the file, so writing a model never fills the disk to the last byte. */
const DISK_MARGIN_BYTES = 64 * 1024 * 1024;

/**
 * The tensors of a synthetic model with their ggml types: `arch`'s tensor list, typed by llama.cpp's quantize
 * rules for `type`. UsageError for an unknown arch, type or preset, or a bad shape.
 */
export function synthTypedTensors(
  arch: SynthArch,
  preset: string,
  type: SynthType,
  overrides?: ShapeOverrides,
): { shape: SynthShape; tensors: TensorToWrite[] } {
  if (!SYNTH_ARCHS.includes(arch)) {
    throw new UsageError(`unknown arch '${arch}' (choose one of ${SYNTH_ARCHS.join(", ")})`);
  }
  if (!SYNTH_TYPES.includes(type)) {
    throw new UsageError(`unknown type '${type}' (choose one of ${SYNTH_TYPES.join(", ")})`);
  }
  const shape = resolveSynthShape(arch, preset, overrides);
  const plain = synthTensors(arch, shape);
  const gguf = synthArchSpec(arch).gguf;
  const is70B = (gguf === "llama" || gguf === "qwen2") && shape.layers === 80 && shape.heads !== shape.kvHeads;
  const types = llamaQuantTypes(
    plain,
    { arch: gguf, layers: shape.layers, experts: shape.experts, is70B },
    synthTypeSpec(type),
  );
  const tensors = plain.map((t, i) => ({ ...t, typeId: ggmlTypeId(types[i] ?? "F32") }));
  return { shape, tensors };
}

/**
 * Writes a loadable GGUF v3 model of the asked shape with deterministic seeded weights (random, not trained:
 * it produces tokens, not sense) — what `gguf-bench synth` does; handy for tests that need a real model file.
 * `arch` "llama" | "qwen2" | "llama-moe", `preset` a shape name ("tiny", "25m", "300m", "1b", "7b"), `type` the
 * weight type ("f32" | "f16" | "q8_0" | "q4_0"), `out` the file to write. Returns its path, parameter count and
 * size in bytes. Streams the file; refuses when the disk lacks room.
 * Throws UsageError for an unknown arch, type or preset or more BPE merges than word pieces; GgufBenchError when the
 * disk lacks room or a write fails.
 */
export async function synthesizeModel(options: SynthOptions): Promise<SynthResult> {
  const { shape, metadata, tensors } = synthModelHeader(options);
  const path = resolve(options.out);
  const bytes = ggufFileBytes(metadata, tensors, ALIGNMENT);
  await ensureRoom(path, bytes);
  const weightScale = 1 / Math.sqrt(shape.embd); // keeps activations O(1) at any width
  const written = await writeGgufFile(path, metadata, tensors, ALIGNMENT, seededWeights(shape.seed, weightScale));
  const parameterCount = tensors.reduce((sum, t) => sum + t.dimensions.reduce((p, d) => p * d, 1), 0);
  return { path, parameterCount, bytes: written, typeNote: synthTypeNote(options.preset, options.type, tensors) };
}

/**
 * What synthesizeModel writes before the tensor data: the metadata, the typed tensor list and the alignment, with
 * no weights (`estimate --what-if` reads a shape from it). UsageError as synthTypedTensors.
 */
export function synthModelHeader(options: Omit<SynthOptions, "out">): {
  shape: SynthShape;
  metadata: GgufMetadata;
  tensors: TensorToWrite[];
  alignment: number;
} {
  const { shape, tensors } = synthTypedTensors(options.arch, options.preset, options.type, options.overrides);
  const experts = shape.experts > 0 ? `, ${shape.experts} experts ${shape.expertsUsed} used` : "";
  const bpe = options.tokenizer?.kind === "bpe" ? ", BPE tokenizer" : "";
  const name =
    options.name ?? `synthetic ${options.arch} ${options.preset} ${options.type}${experts}${bpe} (random weights)`;
  const fileType = synthTypeSpec(options.type).fileType;
  const metadata = synthMetadata(options.arch, shape, fileType, name, ALIGNMENT, options.tokenizer);
  return { shape, metadata, tensors, alignment: ALIGNMENT };
}

/** Refuses (GgufBenchError "disk-full") when writing `bytes` to `path` would leave less than a safety margin free. */
export async function ensureRoom(path: string, bytes: number): Promise<void> {
  let free: number;
  try {
    const stats = await statfs(dirname(path));
    free = stats.bavail * stats.bsize;
  } catch (error) {
    throw new GgufBenchError("io", `cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
  if (bytes + DISK_MARGIN_BYTES > free) {
    throw new GgufBenchError(
      "disk-full",
      `cannot write ${path}: it needs ${formatBytes(bytes)} (+${formatBytes(DISK_MARGIN_BYTES)} margin) but only ${formatBytes(free)} are free there`,
    );
  }
}
