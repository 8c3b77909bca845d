import { lstat } from "node:fs/promises";
import path from "node:path";
import { findBuiltTool } from "../engines/enginePaths.ts";
import { GgufBenchError, UsageError } from "../errors.ts";
import { fsErrorText } from "../files/fsErrorText.ts";
import { makeFolder, removeMadeFolders } from "../files/makeFolder.ts";
import { probeWritable } from "../files/probeWritable.ts";
import { metaNumber, metaString } from "../gguf/metadataAccess.ts";
import { readGgufFile } from "../gguf/readGgufFile.ts";
import { quantizeOwn } from "./quantizeOwn.ts";
import { OWN_QUANT_TYPES, type OwnQuantType } from "./quantizePlan.ts";
import { quantizeWithLlamaCpp } from "./quantizeWithLlamaCpp.ts";

/** llama-quantize's type names (tools/quantize/quantize.cpp, QUANT_OPTIONS), lower-cased. */
export const LLAMA_QUANTIZE_TYPES: readonly string[] = (
  "q1_0 q2_0 q4_0 q4_1 mxfp4_moe q5_0 q5_1 iq2_xxs iq2_xs iq2_s iq2_m iq1_s iq1_m tq1_0 tq2_0 q2_k q2_k_s iq3_xxs " +
  "iq3_s iq3_m q3_k iq3_xs q3_k_s q3_k_m q3_k_l iq4_nl iq4_xs q4_k q4_k_s q4_k_m q5_k q5_k_s q5_k_m q6_k q8_0 f16 bf16 f32"
).split(" ");

export type Quantizer = "llama-quantize" | "gguf-bench";

export interface QuantizeRequest {
  input: string;
  /** Lower-case type names, e.g. ["q8_0", "q4_0"]. */
  types: string[];
  outDir: string;
  /** "auto": llama-quantize when built, else gguf-bench's own (q8_0, q4_0 only). */
  quantizer: "auto" | Quantizer;
  threads: number;
  /** Replace output files that already exist (refused otherwise, before any is written). */
  force?: boolean;
}

export interface QuantizedFile {
  type: string;
  path: string;
  bytes: number;
  quantizer: Quantizer;
  /** Where this file differs from llama-quantize's (own quantizer only). */
  notes: string[];
}

/** `<name>-<TYPE>.gguf`, a trailing -f32/-f16/-bf16 of the input name dropped. */
export function quantizedFileName(input: string, type: string): string {
  const base = path
    .basename(input)
    .replace(/\.gguf$/i, "")
    .replace(/[-_.](f32|f16|bf16)$/i, "");
  return `${base}-${type.toUpperCase()}.gguf`;
}

/**
 * Chooses the quantizer, checks the input and the types before writing anything, then writes one file per
 * type into `outDir`. Usage errors: an unknown type, a type gguf-bench cannot write itself when llama-quantize is
 * not built (or not chosen), a split input for the own quantizer. GgufBenchError before any work: an output file
 * that exists (without `force`), an output folder that cannot be written (with its errno). A failure of one type
 * stops the rest (GgufBenchError); the files already written stay and are returned through `onFile`; when none
 * was, the folders this call created for `outDir` are removed again (only while empty).
 */
export async function runQuantize(
  request: QuantizeRequest,
  onFile: (file: QuantizedFile) => void = () => {},
): Promise<QuantizedFile[]> {
  const unknown = request.types.filter((t) => !LLAMA_QUANTIZE_TYPES.includes(t));
  if (unknown.length > 0)
    throw new UsageError(
      `--types: unknown type ${unknown.join(", ")} (llama-quantize knows ${LLAMA_QUANTIZE_TYPES.join(", ")})`,
    );
  const binary = request.quantizer === "gguf-bench" ? null : findBuiltTool("llama-quantize");
  if (request.quantizer === "llama-quantize" && binary === null)
    throw new UsageError(
      "--quantizer llama-quantize: llama-quantize is not built here (gguf-bench engine build builds it)",
    );
  const quantizer: Quantizer = binary === null ? "gguf-bench" : "llama-quantize";
  if (quantizer === "gguf-bench") {
    const missing = request.types.filter((t) => !(OWN_QUANT_TYPES as readonly string[]).includes(t));
    if (missing.length > 0)
      throw new UsageError(
        `--types ${missing.join(", ")} needs llama.cpp's llama-quantize, which is ${request.quantizer === "gguf-bench" ? "not chosen" : "not built here (gguf-bench engine build builds it)"}; gguf-bench itself writes ${OWN_QUANT_TYPES.join(", ")}`,
      );
  }
  const header = await readGgufFile(request.input);
  const architecture = metaString(header.metadata, "general.architecture") ?? "";
  if ((metaNumber(header.metadata, "split.count") ?? 1) > 1 && quantizer === "gguf-bench")
    throw new UsageError(`${request.input} is one part of a split model; gguf-bench quantizes single-file models`);
  const expertCount = metaNumber(header.metadata, `${architecture}.expert_count`) ?? 0;
  const made = await prepareOutputs(request);
  const written: QuantizedFile[] = [];
  try {
    for (const type of request.types) {
      const out = path.join(request.outDir, quantizedFileName(request.input, type));
      let file: QuantizedFile;
      if (binary !== null) {
        const bytes = await quantizeWithLlamaCpp(binary, request.input, out, type.toUpperCase(), request.threads);
        file = { type, path: out, bytes, quantizer, notes: [] };
      } else {
        const own = await quantizeOwn(request.input, header, type as OwnQuantType, expertCount, out);
        file = { type, path: out, bytes: own.bytes, quantizer, notes: own.differsFromLlamaQuantize };
      }
      written.push(file);
      onFile(file);
    }
  } finally {
    // Nothing written (a full disk, a failed quantizer): the folder this call made is not left behind, empty.
    if (written.length === 0) await removeMadeFolders(request.outDir, made);
  }
  return written;
}

/** Checks every output before any is written: never the input, never an existing file unless forced, a folder we can write. */
async function prepareOutputs(request: QuantizeRequest): Promise<string | undefined> {
  for (const type of request.types) {
    const out = path.join(request.outDir, quantizedFileName(request.input, type));
    if (path.resolve(out) === path.resolve(request.input))
      throw new UsageError(`${out} would overwrite the input; choose another --out`);
    const existing = await lstat(out).catch(() => null);
    if (existing?.isDirectory())
      throw new GgufBenchError("quantize-out-exists", `${out} is a folder; choose another --out`);
    if (existing && !request.force)
      throw new GgufBenchError("quantize-out-exists", `${out} already exists; pass --force to replace it`);
  }
  let made: string | undefined;
  try {
    made = await makeFolder(request.outDir);
    await probeWritable(request.outDir);
    return made;
  } catch (error) {
    await removeMadeFolders(request.outDir, made);
    throw new GgufBenchError(
      "out-dir",
      `cannot write to ${request.outDir}: ${fsErrorText(error)}; choose another folder with --out`,
    );
  }
}
