import { deriveModelInfo, type GgufPart } from "./deriveModelInfo.ts";
import { GgufError } from "./ggufError.ts";
import { metaNumber } from "./metadataAccess.ts";
import type { ModelInfo } from "./modelInfo.ts";
import { readGgufFile } from "./readGgufFile.ts";
import { splitParts } from "./splitParts.ts";

/**
 * Model info from a GGUF file's header alone (no weights read): architecture, parameter count, quantization,
 * tensor types and bytes, training context, layer/head shape, KV bytes per token (f16 and q8_0), MoE experts —
 * the ModelInfo object results.json stores per model (sizes in bytes, lengths in tokens; null: not in the file).
 * A part of a split model (`-00001-of-0000N.gguf`) reads all parts as one model. The file is untrusted: counts
 * and lengths are bounded (src/gguf/limits.ts) and metadata strings must be escaped before display.
 * Format: the GGUF specification (ggml/docs/gguf.md), versions 2 and 3.
 * Throws GgufError (codes: not-gguf, unsupported-version, unsupported-tensor-type, truncated, limit-exceeded,
 * malformed, io).
 */
export async function readModelInfo(path: string): Promise<ModelInfo> {
  const paths = await splitParts(path);
  const parts: GgufPart[] = [];
  for (const partPath of paths) parts.push({ path: partPath, header: await readGgufFile(partPath) });
  const declared = parts[0] ? metaNumber(parts[0].header.metadata, "split.count") : null;
  if (declared !== null && declared !== parts.length) {
    throw new GgufError("malformed", path, `split.count says ${declared} parts but the name says ${parts.length}`);
  }
  return deriveModelInfo(parts);
}
