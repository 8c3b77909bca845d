import { open, rename, rm } from "node:fs/promises";
import { encodeGgufHeader } from "./encodeGgufHeader.ts";
import type { GgufMetadata, GgufTensorInfo } from "./ggufValue.ts";
import { tensorBytes } from "./readGgufHeader.ts";

export interface TensorToWrite {
  name: string;
  dimensions: number[];
  typeId: number;
}

/** Yields the data of one tensor in chunks; the chunks must add up to exactly the tensor's byte size. */
export type TensorDataSource = (tensor: GgufTensorInfo, index: number) => Iterable<Buffer>;

/** Tensor-info rows with offsets laid out in order, each aligned; and the size of the data section. */
export function layoutTensors(
  tensors: readonly TensorToWrite[],
  alignment: number,
): { infos: GgufTensorInfo[]; dataBytes: number } {
  let offset = 0;
  const infos = tensors.map((tensor) => {
    const info: GgufTensorInfo = { ...tensor, offset };
    offset += Math.ceil(tensorBytes(info) / alignment) * alignment;
    return info;
  });
  return { infos, dataBytes: offset };
}

/** Total size of the file writeGgufFile would write, without writing it. */
export function ggufFileBytes(metadata: GgufMetadata, tensors: readonly TensorToWrite[], alignment: number): number {
  const { infos, dataBytes } = layoutTensors(tensors, alignment);
  return encodeGgufHeader(metadata, infos, { alignment }).length + dataBytes;
}

/**
 * Streams a GGUF v3 file to `path`: header, then each tensor's data padded to the alignment. Writes to a
 * temporary name beside it and renames at the end, so a failed write never leaves a half file under `path`.
 */
export async function writeGgufFile(
  path: string,
  metadata: GgufMetadata,
  tensors: readonly TensorToWrite[],
  alignment: number,
  data: TensorDataSource,
): Promise<number> {
  const { infos } = layoutTensors(tensors, alignment);
  const header = encodeGgufHeader(metadata, infos, { alignment });
  const partial = `${path}.partial-${process.pid}`;
  const handle = await open(partial, "w");
  let written = 0;
  const write = async (chunk: Buffer) => {
    let done = 0;
    while (done < chunk.length) {
      const { bytesWritten } = await handle.write(chunk, done, chunk.length - done);
      done += bytesWritten;
    }
    written += chunk.length;
  };
  try {
    await write(header);
    for (const [index, info] of infos.entries()) {
      const expected = tensorBytes(info);
      let got = 0;
      for (const chunk of data(info, index)) {
        got += chunk.length;
        if (got > expected) throw new Error(`tensor ${info.name}: data source gave more than ${expected} bytes`);
        await write(chunk);
      }
      if (got !== expected) throw new Error(`tensor ${info.name}: data source gave ${got} of ${expected} bytes`);
      const padding = (alignment - (expected % alignment)) % alignment;
      if (padding > 0) await write(Buffer.alloc(padding));
    }
    await handle.close();
    await rename(partial, path);
    return written;
  } catch (error) {
    await handle.close().catch(() => {});
    await rm(partial, { force: true });
    throw error;
  }
}
