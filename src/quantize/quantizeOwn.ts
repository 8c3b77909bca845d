import { closeSync, openSync, readSync } from "node:fs";
import { GgufBenchError } from "../errors.ts";
import { ggmlTypeId, ggmlTypeInfo } from "../gguf/ggmlTypes.ts";
import type { GgufHeader } from "../gguf/readGgufHeader.ts";
import { tensorBytes } from "../gguf/readGgufHeader.ts";
import { ensureRoom } from "../gguf/synthesize.ts";
import { layoutTensors, type TensorToWrite, writeGgufFile } from "../gguf/writeGgufFile.ts";
import { bfloat16BitsToFloat32, float16BitsToFloat32 } from "./float16.ts";
import { quantizeQ4_0, quantizeQ8_0, toFloat16 } from "./quantizeBlocks.ts";
import { FILE_TYPE_OF, type OwnQuantType, planQuantization } from "./quantizePlan.ts";

/** Rows converted at a time: bounds memory whatever the tensor size (a 7B embedding table is 0.5 GB as f32). */
const SLAB_VALUES = 4 * 1024 * 1024;
/** What llama-quantize writes as general.quantization_version (ggml's GGML_QNT_VERSION). */
const QUANTIZATION_VERSION = 2;

const F32 = ggmlTypeId("F32");
const F16 = ggmlTypeId("F16");
const BF16 = ggmlTypeId("BF16");
const Q8_0 = ggmlTypeId("Q8_0");
const Q4_0 = ggmlTypeId("Q4_0");

export interface OwnQuantizeResult {
  bytes: number;
  /** Tensors where this file differs from what llama-quantize would write, with why. */
  differsFromLlamaQuantize: string[];
}

/**
 * Writes `out`, a copy of the single-file model `header` (read from `file`) with its weights quantized to
 * `type` by gguf-bench's own exact Q8_0/Q4_0 code (see planQuantization for which tensors). Tensors to quantize
 * must be F32, F16 or BF16 (no requantizing). Metadata is copied with general.file_type and
 * general.quantization_version set, as llama-quantize does. Streams slab by slab; refuses when the disk lacks room.
 */
export async function quantizeOwn(
  file: string,
  header: GgufHeader,
  type: OwnQuantType,
  expertCount: number,
  out: string,
): Promise<OwnQuantizeResult> {
  const plan = planQuantization(header.tensors, type, expertCount);
  const tensors: TensorToWrite[] = header.tensors.map((t, i) => ({
    name: t.name,
    dimensions: t.dimensions,
    typeId: plan.typeIds[i] as number,
  }));
  for (const [i, tensor] of header.tensors.entries()) {
    if (tensor.typeId === plan.typeIds[i] || [F32, F16, BF16].includes(tensor.typeId)) continue;
    const name = ggmlTypeInfo(tensor.typeId)?.name ?? `type ${tensor.typeId}`;
    throw new GgufBenchError(
      "requantize",
      `${file}: tensor ${tensor.name} is ${name}; gguf-bench quantizes from F32, F16 or BF16 weights only`,
    );
  }
  const metadata = new Map(header.metadata);
  for (const key of ["split.no", "split.count", "split.tensors.count"]) metadata.delete(key);
  metadata.set("general.quantization_version", { type: "u32", value: QUANTIZATION_VERSION });
  metadata.set("general.file_type", { type: "u32", value: FILE_TYPE_OF[type] });

  const { dataBytes } = layoutTensors(tensors, header.alignment);
  await ensureRoom(out, header.dataOffset + dataBytes);
  const fd = openSync(file, "r");
  try {
    const bytes = await writeGgufFile(out, metadata, tensors, header.alignment, (info, index) =>
      convertTensor(fd, header, index, info.typeId),
    );
    return { bytes, differsFromLlamaQuantize: plan.differsFromLlamaQuantize };
  } finally {
    closeSync(fd);
  }
}

function* convertTensor(fd: number, header: GgufHeader, index: number, targetTypeId: number): Iterable<Buffer> {
  const source = header.tensors[index];
  if (!source) throw new Error(`no tensor #${index}`);
  const start = header.dataOffset + source.offset;
  const total = tensorBytes(source);
  if (source.typeId === targetTypeId) {
    for (let done = 0; done < total; ) {
      const chunk = readExactly(fd, start + done, Math.min(total - done, SLAB_VALUES * 4));
      done += chunk.length;
      yield chunk;
    }
    return;
  }
  const rowValues = source.dimensions[0] ?? 1;
  const rows = source.dimensions.slice(1).reduce((p, d) => p * d, 1);
  const sourceBytesPerValue = source.typeId === F32 ? 4 : 2;
  const rowsPerSlab = Math.max(1, Math.floor(SLAB_VALUES / rowValues));
  for (let row = 0; row < rows; row += rowsPerSlab) {
    const count = Math.min(rowsPerSlab, rows - row) * rowValues;
    const raw = readExactly(fd, start + row * rowValues * sourceBytesPerValue, count * sourceBytesPerValue);
    const values = new Float32Array(count);
    for (let i = 0; i < count; i++) {
      if (source.typeId === F32) values[i] = raw.readFloatLE(i * 4);
      else if (source.typeId === F16) values[i] = float16BitsToFloat32(raw.readUInt16LE(i * 2));
      else values[i] = bfloat16BitsToFloat32(raw.readUInt16LE(i * 2));
    }
    if (targetTypeId === Q8_0) yield quantizeQ8_0(values);
    else if (targetTypeId === Q4_0) yield quantizeQ4_0(values);
    else if (targetTypeId === F16) yield toFloat16(values);
    else throw new Error(`cannot convert to ggml type ${targetTypeId}`);
  }
}

function readExactly(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const read = readSync(fd, buffer, done, length - done, position + done);
    if (read === 0)
      throw new GgufBenchError("truncated", `the model file ended inside tensor data at byte ${position + done}`);
    done += read;
  }
  return buffer;
}
