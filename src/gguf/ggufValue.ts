/** GGUF metadata value type ids (gguf_type), in file order. */
export const GGUF_VALUE_TYPES = [
  "u8",
  "i8",
  "u16",
  "i16",
  "u32",
  "i32",
  "f32",
  "bool",
  "string",
  "array",
  "u64",
  "i64",
  "f64",
] as const;
export type GgufValueType = (typeof GGUF_VALUE_TYPES)[number];
export type GgufScalarType = Exclude<GgufValueType, "array">;
export type GgufNumberType = Exclude<GgufScalarType, "bool" | "string" | "u64" | "i64">;

export type GgufScalar = number | bigint | boolean | string;

/**
 * One metadata value with its stored type, so a value read back can be written back byte for byte.
 * u64/i64 stay bigint (they can exceed 2^53); arrays of scalars keep plain JS values; nested arrays nest.
 */
export type GgufValue =
  | { type: GgufNumberType; value: number }
  | { type: "u64" | "i64"; value: bigint }
  | { type: "bool"; value: boolean }
  | { type: "string"; value: string }
  | GgufArray;

export type GgufArray =
  | { type: "array"; itemType: GgufScalarType; items: GgufScalar[] }
  | { type: "array"; itemType: "array"; items: GgufArray[] };

export type GgufMetadata = Map<string, GgufValue>;

/** One row of the tensor-info table. Offsets are relative to the start of the tensor data section. */
export interface GgufTensorInfo {
  name: string;
  /** ne[0] first (the innermost, contiguous dimension), as stored. */
  dimensions: number[];
  typeId: number;
  offset: number;
}

/** Smallest encoded size of one value of a type (used to bound counts by the bytes left in the file). */
export function minEncodedBytes(type: GgufValueType): number {
  switch (type) {
    case "u8":
    case "i8":
    case "bool":
      return 1;
    case "u16":
    case "i16":
      return 2;
    case "u32":
    case "i32":
    case "f32":
      return 4;
    case "u64":
    case "i64":
    case "f64":
    case "string":
      return 8;
    case "array":
      return 12;
  }
}
