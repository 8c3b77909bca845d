import { BoundedReader, type ByteSource } from "./boundedReader.ts";
import { type GgmlTypeInfo, ggmlTypeInfo } from "./ggmlTypes.ts";
import { GgufError, quoted } from "./ggufError.ts";
import {
  GGUF_VALUE_TYPES,
  type GgufArray,
  type GgufMetadata,
  type GgufScalar,
  type GgufTensorInfo,
  type GgufValue,
  type GgufValueType,
  minEncodedBytes,
} from "./ggufValue.ts";
import { GGUF_LIMITS } from "./limits.ts";
import { unsupportedTensorType } from "./unsupportedTensorType.ts";

export const GGUF_MAGIC = 0x46554747; // "GGUF" read as a little-endian u32
export const GGUF_DEFAULT_ALIGNMENT = 32;

/** Everything before the tensor data of one GGUF file. */
export interface GgufHeader {
  version: number;
  metadata: GgufMetadata;
  tensors: GgufTensorInfo[];
  alignment: number;
  /** End of the tensor-info table: the header bytes proper. */
  headerBytes: number;
  /** Start of the tensor data section (headerBytes padded to the alignment). */
  dataOffset: number;
  fileBytes: number;
}

/**
 * Parses the header of a GGUF v2/v3 file; reads no tensor data. Throws GgufError; a tensor of a ggml type the
 * bundled llama.cpp does not implement is `unsupported-tensor-type` (the file is well-formed), naming the type id.
 */
export async function readGgufHeader(handle: ByteSource, fileBytes: number, file: string): Promise<GgufHeader> {
  const r = new BoundedReader(handle, fileBytes, file);
  if (fileBytes < 4) throw new GgufError("not-gguf", file, `only ${fileBytes} bytes: not a GGUF file`);
  await r.need(4, "magic");
  const magic = r.u32();
  if (magic !== GGUF_MAGIC) throw new GgufError("not-gguf", file, "does not start with the GGUF magic bytes");
  await r.need(4, "version");
  const version = r.u32();
  if (version === 1) {
    throw new GgufError("unsupported-version", file, "GGUF version 1 is not supported (convert it with llama.cpp)");
  }
  if (version !== 2 && version !== 3) {
    const swapped =
      ((version & 0xff) << 24) | ((version & 0xff00) << 8) | ((version >>> 8) & 0xff00) | (version >>> 24);
    const what =
      swapped === 2 || swapped === 3 ? "big-endian GGUF is not supported" : `GGUF version ${version} is not supported`;
    throw new GgufError("unsupported-version", file, what);
  }
  await r.need(16, "tensor and key counts");
  const tensorCount = count(r, r.u64(), GGUF_LIMITS.maxTensorCount, 24, "tensor count");
  const kvCount = count(r, r.u64(), GGUF_LIMITS.maxKvCount, 13, "metadata key count");

  const metadata: GgufMetadata = new Map();
  for (let i = 0; i < kvCount; i++) {
    const key = await readString(r, `key #${i}`);
    const label = quoted(key);
    await r.need(4, `type of ${label}`);
    const type = valueType(r, r.u32(), label);
    if (metadata.has(key)) throw new GgufError("malformed", file, `metadata key ${label} appears twice`);
    metadata.set(key, await readValue(r, type, label, 0));
  }

  const alignment = readAlignment(metadata, file);
  const tensors: GgufTensorInfo[] = [];
  const names = new Set<string>();
  for (let i = 0; i < tensorCount; i++) {
    const tensor = await readTensorInfo(r, i, alignment);
    if (names.has(tensor.name)) throw new GgufError("malformed", file, `tensor ${quoted(tensor.name)} appears twice`);
    names.add(tensor.name);
    tensors.push(tensor);
  }
  const headerBytes = r.position;
  const dataOffset = Math.ceil(headerBytes / alignment) * alignment;
  checkTensorData(tensors, dataOffset, fileBytes, file);
  return { version, metadata, tensors, alignment, headerBytes, dataOffset, fileBytes };
}

/** A count read from the file, bounded by its limit and by the bytes left (each item takes at least minBytes). */
function count(r: BoundedReader, raw: bigint, limit: number, minBytes: number, what: string): number {
  if (raw > BigInt(limit)) {
    throw new GgufError("limit-exceeded", r.file, `${what} ${raw} exceeds the limit of ${limit}`);
  }
  const n = Number(raw);
  if (n * minBytes > r.remaining) {
    throw new GgufError("truncated", r.file, `${what} ${n} cannot fit in the ${r.remaining} bytes left`);
  }
  return n;
}

function valueType(r: BoundedReader, id: number, key: string): GgufValueType {
  const type = GGUF_VALUE_TYPES[id];
  if (type === undefined) throw new GgufError("malformed", r.file, `${key} has unknown value type ${id}`);
  return type;
}

async function readString(r: BoundedReader, what: string, maxBytes: number = GGUF_LIMITS.maxStringBytes) {
  await r.need(8, `length of ${what}`);
  const raw = r.u64();
  if (raw > BigInt(maxBytes)) {
    throw new GgufError("limit-exceeded", r.file, `${what} length ${raw} exceeds the limit of ${maxBytes} bytes`);
  }
  const n = Number(raw);
  await r.need(n, what);
  return r.text(n);
}

async function readValue(r: BoundedReader, type: GgufValueType, key: string, depth: number): Promise<GgufValue> {
  if (type === "array") return readArray(r, key, depth);
  if (type === "string") return { type, value: await readString(r, `value of ${key}`) };
  await r.need(minEncodedBytes(type), `value of ${key}`);
  return readScalarNow(r, type, key) as GgufValue;
}

/** A fixed-size scalar whose bytes are already buffered. */
function readScalarNow(r: BoundedReader, type: Exclude<GgufValueType, "array" | "string">, key: string) {
  switch (type) {
    case "u8":
      return { type, value: r.u8() };
    case "i8":
      return { type, value: r.i8() };
    case "u16":
      return { type, value: r.u16() };
    case "i16":
      return { type, value: r.i16() };
    case "u32":
      return { type, value: r.u32() };
    case "i32":
      return { type, value: r.i32() };
    case "f32":
      return { type, value: r.f32() };
    case "f64":
      return { type, value: r.f64() };
    case "u64":
      return { type, value: r.u64() };
    case "i64":
      return { type, value: r.i64() };
    case "bool": {
      const byte = r.u8();
      if (byte > 1) throw new GgufError("malformed", r.file, `${key} has boolean byte ${byte}`);
      return { type, value: byte === 1 };
    }
  }
}

async function readArray(r: BoundedReader, key: string, depth: number): Promise<GgufArray> {
  if (depth >= GGUF_LIMITS.maxArrayNesting) {
    throw new GgufError("limit-exceeded", r.file, `${key} nests arrays deeper than ${GGUF_LIMITS.maxArrayNesting}`);
  }
  await r.need(12, `array header of ${key}`);
  const itemType = valueType(r, r.u32(), key);
  const length = count(r, r.u64(), GGUF_LIMITS.maxArrayLength, minEncodedBytes(itemType), `array length of ${key}`);
  if (itemType === "array") {
    const items: GgufArray[] = [];
    for (let i = 0; i < length; i++) items.push(await readArray(r, key, depth + 1));
    return { type: "array", itemType, items };
  }
  const items: GgufScalar[] = new Array(length);
  if (itemType === "string") {
    for (let i = 0; i < length; i++) {
      const pending = r.need(8, `length of ${key}[${i}]`);
      if (pending) await pending;
      const raw = r.u64();
      if (raw > BigInt(GGUF_LIMITS.maxStringBytes)) {
        throw new GgufError("limit-exceeded", r.file, `${key}[${i}] length ${raw} exceeds the string limit`);
      }
      const n = Number(raw);
      const more = r.need(n, `${key}[${i}]`);
      if (more) await more;
      items[i] = r.text(n);
    }
    return { type: "array", itemType, items };
  }
  const size = minEncodedBytes(itemType);
  for (let i = 0; i < length; i++) {
    const pending = r.need(size, `${key}[${i}]`);
    if (pending) await pending;
    items[i] = readScalarNow(r, itemType, key).value;
  }
  return { type: "array", itemType, items };
}

function readAlignment(metadata: GgufMetadata, file: string): number {
  const value = metadata.get("general.alignment");
  if (value === undefined) return GGUF_DEFAULT_ALIGNMENT;
  if (value.type !== "u32" || value.value === 0 || (value.value & (value.value - 1)) !== 0) {
    throw new GgufError("malformed", file, "general.alignment must be a power-of-two u32");
  }
  return value.value;
}

async function readTensorInfo(r: BoundedReader, index: number, alignment: number): Promise<GgufTensorInfo> {
  const rawName = await readString(r, `name of tensor #${index}`, GGUF_LIMITS.maxTensorNameBytes);
  const name = quoted(rawName);
  await r.need(4, `dimension count of ${name}`);
  const nDims = r.u32();
  if (nDims > GGUF_LIMITS.maxDimensions) {
    throw new GgufError(
      "limit-exceeded",
      r.file,
      `tensor ${name} has ${nDims} dimensions (limit ${GGUF_LIMITS.maxDimensions})`,
    );
  }
  await r.need(nDims * 8 + 12, `shape of ${name}`);
  const dimensions: number[] = [];
  let elements = 1n;
  for (let d = 0; d < nDims; d++) {
    const size = r.u64();
    elements *= size;
    if (elements > BigInt(Number.MAX_SAFE_INTEGER) || size > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new GgufError("limit-exceeded", r.file, `tensor ${name} has more than 2^53 elements`);
    }
    dimensions.push(Number(size));
  }
  const typeId = r.u32();
  const unsupported = unsupportedTensorType(typeId);
  if (unsupported) throw new GgufError("unsupported-tensor-type", r.file, `tensor ${name}: ${unsupported}`);
  const type = ggmlTypeInfo(typeId) as GgmlTypeInfo;
  if ((dimensions[0] ?? 1) % type.blockElements !== 0) {
    throw new GgufError(
      "malformed",
      r.file,
      `tensor ${name} row of ${dimensions[0]} is not a multiple of the ${type.name} block (${type.blockElements})`,
    );
  }
  const rawOffset = r.u64();
  if (rawOffset > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new GgufError("truncated", r.file, `tensor ${name} data offset ${rawOffset} is past the end of the file`);
  }
  const offset = Number(rawOffset);
  if (offset % alignment !== 0) {
    throw new GgufError("malformed", r.file, `tensor ${name} offset ${offset} is not aligned to ${alignment}`);
  }
  return { name: rawName, dimensions, typeId, offset };
}

/** Byte size of one tensor's data. */
export function tensorBytes(tensor: GgufTensorInfo): number {
  const type = ggmlTypeInfo(tensor.typeId);
  if (!type) throw new Error(`unknown ggml type ${tensor.typeId}`);
  const elements = tensor.dimensions.reduce((product, size) => product * size, 1);
  return (elements / type.blockElements) * type.blockBytes;
}

function checkTensorData(tensors: GgufTensorInfo[], dataOffset: number, fileBytes: number, file: string): void {
  for (const tensor of tensors) {
    const end = dataOffset + tensor.offset + tensorBytes(tensor);
    if (end > fileBytes) {
      throw new GgufError(
        "truncated",
        file,
        `tensor ${quoted(tensor.name)} data ends at byte ${end} but the file has ${fileBytes} bytes`,
      );
    }
  }
}
