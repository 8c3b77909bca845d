import {
  GGUF_VALUE_TYPES,
  type GgufArray,
  type GgufMetadata,
  type GgufScalar,
  type GgufScalarType,
  type GgufTensorInfo,
  type GgufValue,
} from "./ggufValue.ts";
import { GGUF_MAGIC } from "./readGgufHeader.ts";

/** Appends little-endian values to a list of chunks (the header of a big vocabulary is megabytes). */
class ChunkWriter {
  private readonly chunks: Buffer[] = [];
  private current = Buffer.allocUnsafe(64 * 1024);
  private used = 0;
  length = 0;

  private room(n: number): Buffer {
    if (this.used + n > this.current.length) {
      this.chunks.push(this.current.subarray(0, this.used));
      this.current = Buffer.allocUnsafe(Math.max(64 * 1024, n));
      this.used = 0;
    }
    return this.current;
  }
  private advance(n: number): void {
    this.used += n;
    this.length += n;
  }
  u8(v: number) {
    this.room(1).writeUInt8(v, this.used);
    this.advance(1);
  }
  i8(v: number) {
    this.room(1).writeInt8(v, this.used);
    this.advance(1);
  }
  u16(v: number) {
    this.room(2).writeUInt16LE(v, this.used);
    this.advance(2);
  }
  i16(v: number) {
    this.room(2).writeInt16LE(v, this.used);
    this.advance(2);
  }
  u32(v: number) {
    this.room(4).writeUInt32LE(v, this.used);
    this.advance(4);
  }
  i32(v: number) {
    this.room(4).writeInt32LE(v, this.used);
    this.advance(4);
  }
  f32(v: number) {
    this.room(4).writeFloatLE(v, this.used);
    this.advance(4);
  }
  f64(v: number) {
    this.room(8).writeDoubleLE(v, this.used);
    this.advance(8);
  }
  u64(v: bigint) {
    this.room(8).writeBigUInt64LE(v, this.used);
    this.advance(8);
  }
  i64(v: bigint) {
    this.room(8).writeBigInt64LE(v, this.used);
    this.advance(8);
  }
  string(v: string) {
    const bytes = Buffer.from(v, "utf8");
    this.u64(BigInt(bytes.length));
    bytes.copy(this.room(bytes.length), this.used);
    this.advance(bytes.length);
  }
  zeros(n: number) {
    this.room(n).fill(0, this.used, this.used + n);
    this.advance(n);
  }
  finish(): Buffer {
    return Buffer.concat([...this.chunks, this.current.subarray(0, this.used)]);
  }
}

/**
 * The bytes of a GGUF header (magic, version, counts, metadata, tensor-info table), padded to `alignment` so
 * tensor data can follow directly. The exact inverse of readGgufHeader for the same values.
 */
export function encodeGgufHeader(
  metadata: GgufMetadata,
  tensors: readonly GgufTensorInfo[],
  options: { version?: 2 | 3; alignment: number },
): Buffer {
  const w = new ChunkWriter();
  w.u32(GGUF_MAGIC);
  w.u32(options.version ?? 3);
  w.u64(BigInt(tensors.length));
  w.u64(BigInt(metadata.size));
  for (const [key, value] of metadata) {
    w.string(key);
    w.u32(GGUF_VALUE_TYPES.indexOf(value.type));
    writeValue(w, value);
  }
  for (const tensor of tensors) {
    w.string(tensor.name);
    w.u32(tensor.dimensions.length);
    for (const size of tensor.dimensions) w.u64(BigInt(size));
    w.u32(tensor.typeId);
    w.u64(BigInt(tensor.offset));
  }
  const padding = (options.alignment - (w.length % options.alignment)) % options.alignment;
  w.zeros(padding);
  return w.finish();
}

function writeValue(w: ChunkWriter, value: GgufValue): void {
  if (value.type === "array") writeArray(w, value);
  else writeScalar(w, value.type, value.value);
}

function writeArray(w: ChunkWriter, array: GgufArray): void {
  w.u32(GGUF_VALUE_TYPES.indexOf(array.itemType));
  w.u64(BigInt(array.items.length));
  if (array.itemType === "array") {
    for (const item of array.items) writeArray(w, item);
    return;
  }
  for (const item of array.items) writeScalar(w, array.itemType, item);
}

function writeScalar(w: ChunkWriter, type: GgufScalarType, value: GgufScalar): void {
  switch (type) {
    case "u8":
      w.u8(value as number);
      break;
    case "i8":
      w.i8(value as number);
      break;
    case "u16":
      w.u16(value as number);
      break;
    case "i16":
      w.i16(value as number);
      break;
    case "u32":
      w.u32(value as number);
      break;
    case "i32":
      w.i32(value as number);
      break;
    case "f32":
      w.f32(value as number);
      break;
    case "f64":
      w.f64(value as number);
      break;
    case "u64":
      w.u64(value as bigint);
      break;
    case "i64":
      w.i64(value as bigint);
      break;
    case "bool":
      w.u8(value ? 1 : 0);
      break;
    case "string":
      w.string(value as string);
      break;
  }
}
