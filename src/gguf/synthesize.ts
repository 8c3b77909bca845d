import { statfs } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { GgufBenchError, UsageError } from "../errors.ts";
import { fileTypeForName } from "./fileTypes.ts";
import type { GgufMetadata, GgufValue } from "./ggufValue.ts";
import { resolveSynthShape, type SynthShape } from "./synthPresets.ts";
import { synthTensors } from "./synthTensors.ts";
import { synthTokenizer } from "./synthTokenizer.ts";
import { seededWeights } from "./weightPattern.ts";
import { ggufFileBytes, writeGgufFile } from "./writeGgufFile.ts";

export type SynthArch = "llama" | "qwen2" | "llama-moe";
export type SynthType = "f32" | "f16" | "q8_0" | "q4_0";
export interface SynthOptions {
  arch: SynthArch;
  /** "tiny" | "25m" | "300m" | "1b" | "7b" (and any others the module defines) */
  preset: string;
  type: SynthType;
  out: string;
  overrides?: Partial<SynthShape>;
  /** Written as general.name (default: a label saying it is synthetic). */
  name?: string;
}
export interface SynthResult {
  path: string;
  parameterCount: number;
  bytes: number;
}

export const SYNTH_ARCHS: readonly SynthArch[] = ["llama", "qwen2", "llama-moe"];
export const SYNTH_TYPES: readonly SynthType[] = ["f32", "f16", "q8_0", "q4_0"];

const ALIGNMENT = 32;
/** Room left on the disk after the file, so writing a model never fills the disk to the last byte. */
const DISK_MARGIN_BYTES = 64 * 1024 * 1024;

/**
 * Writes a loadable GGUF v3 model of the asked shape with deterministic seeded weights (random, not trained:
 * it produces tokens, not sense). Streams the file; refuses when the disk lacks room.
 */
export async function synthesizeModel(options: SynthOptions): Promise<SynthResult> {
  if (!SYNTH_ARCHS.includes(options.arch)) {
    throw new UsageError(`unknown arch '${options.arch}' (choose one of ${SYNTH_ARCHS.join(", ")})`);
  }
  if (!SYNTH_TYPES.includes(options.type)) {
    throw new UsageError(`unknown type '${options.type}' (choose one of ${SYNTH_TYPES.join(", ")})`);
  }
  const typeName = options.type.toUpperCase();
  const shape = resolveSynthShape(options.arch, options.preset, typeName.startsWith("Q"), options.overrides);
  const ggufArch = options.arch === "qwen2" ? "qwen2" : "llama";
  const tensors = synthTensors(options.arch, shape, typeName);
  const metadata = synthMetadata(options, ggufArch, shape, typeName);

  const path = resolve(options.out);
  const bytes = ggufFileBytes(metadata, tensors, ALIGNMENT);
  await ensureRoom(path, bytes);
  const weightScale = 1 / Math.sqrt(shape.embd); // keeps activations O(1) at any width
  const written = await writeGgufFile(path, metadata, tensors, ALIGNMENT, seededWeights(shape.seed, weightScale));
  const parameterCount = tensors.reduce((sum, t) => sum + t.dimensions.reduce((p, d) => p * d, 1), 0);
  return { path, parameterCount, bytes: written };
}

function synthMetadata(
  options: SynthOptions,
  arch: string,
  s: ReturnType<typeof resolveSynthShape>,
  typeName: string,
): GgufMetadata {
  const u32 = (value: number): GgufValue => ({ type: "u32", value });
  const f32 = (value: number): GgufValue => ({ type: "f32", value });
  const str = (value: string): GgufValue => ({ type: "string", value });
  const experts = s.experts > 0 ? `, ${s.experts} experts ${s.expertsUsed} used` : "";
  const name = options.name ?? `synthetic ${options.arch} ${options.preset} ${options.type}${experts} (random weights)`;
  const entries: [string, GgufValue][] = [
    ["general.architecture", str(arch)],
    ["general.name", str(name)],
    ["general.alignment", u32(ALIGNMENT)],
    ["general.file_type", u32(fileTypeForName(typeName))],
    ["general.quantization_version", u32(2)],
    [`${arch}.context_length`, u32(s.ctx)],
    [`${arch}.embedding_length`, u32(s.embd)],
    [`${arch}.block_count`, u32(s.layers)],
    [`${arch}.feed_forward_length`, u32(s.ff)],
    [`${arch}.attention.head_count`, u32(s.heads)],
    [`${arch}.attention.head_count_kv`, u32(s.kvHeads)],
    [`${arch}.attention.layer_norm_rms_epsilon`, f32(arch === "qwen2" ? 1e-6 : 1e-5)],
    [`${arch}.rope.dimension_count`, u32(s.embd / s.heads)],
    [`${arch}.rope.freq_base`, f32(arch === "qwen2" ? 1_000_000 : 10_000)],
    [`${arch}.vocab_size`, u32(s.vocab)],
  ];
  if (s.experts > 0) {
    entries.push([`${arch}.expert_count`, u32(s.experts)], [`${arch}.expert_used_count`, u32(s.expertsUsed)]);
  }
  entries.push(...synthTokenizer(s.vocab));
  return new Map(entries);
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
      `cannot write ${path}: it needs ${bytes} bytes (+${DISK_MARGIN_BYTES} margin) but only ${free} are free there`,
    );
  }
}
