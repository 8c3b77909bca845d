/**
 * Builds problem models for tests from a model the project's writer made: the header is read with the
 * project's reader, edited, and written again with writeGgufFile; each tensor's data is copied from the
 * source when its name, type and shape are unchanged, else filled with zeros. So a test can make "a tensor with
 * the wrong shape", "an unknown architecture" or "part 2 of a split" without any file from outside.
 */
import { open } from "node:fs/promises";
import type { GgufMetadata, GgufTensorInfo } from "../../src/gguf/ggufValue.ts";
import { readGgufFile } from "../../src/gguf/readGgufFile.ts";
import { tensorBytes } from "../../src/gguf/readGgufHeader.ts";
import { type TensorToWrite, writeGgufFile } from "../../src/gguf/writeGgufFile.ts";

export interface GgufEdit {
  /** Change the metadata in place (set, delete, rename keys). */
  metadata?: (metadata: GgufMetadata) => void;
  /** Return the tensors to write (drop, reorder, reshape, retype). */
  tensors?: (tensors: TensorToWrite[]) => TensorToWrite[];
}

export async function rewriteGguf(source: string, target: string, edit: GgufEdit): Promise<void> {
  const header = await readGgufFile(source);
  const metadata: GgufMetadata = new Map(header.metadata);
  edit.metadata?.(metadata);
  const original = new Map(header.tensors.map((t) => [t.name, t]));
  const rows = header.tensors.map(({ name, dimensions, typeId }) => ({ name, dimensions: [...dimensions], typeId }));
  const tensors = edit.tensors ? edit.tensors(rows) : rows;
  const handle = await open(source, "r");
  try {
    const chunks: Buffer[] = [];
    for (const tensor of tensors) chunks.push(await dataFor(tensor, original.get(tensor.name), header.dataOffset));
    await writeGgufFile(target, metadata, tensors, header.alignment, (_info: GgufTensorInfo, index) => [
      chunks[index] as Buffer,
    ]);
  } finally {
    await handle.close();
  }

  async function dataFor(tensor: TensorToWrite, from: GgufTensorInfo | undefined, dataOffset: number): Promise<Buffer> {
    const bytes = tensorBytes({ ...tensor, offset: 0 });
    const same =
      from !== undefined &&
      from.typeId === tensor.typeId &&
      from.dimensions.length === tensor.dimensions.length &&
      from.dimensions.every((d, i) => d === tensor.dimensions[i]);
    const buffer = Buffer.alloc(bytes);
    if (same) await handle.read(buffer, 0, bytes, dataOffset + from.offset);
    return buffer;
  }
}
