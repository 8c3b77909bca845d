import type { GgufMetadata } from "./ggufValue.ts";

/** A numeric scalar as a JS number (u64/i64 converted), or null when absent or not a number. */
export function metaNumber(metadata: GgufMetadata, key: string): number | null {
  const value = metadata.get(key);
  if (value === undefined || value.type === "array") return null;
  if (typeof value.value === "number") return value.value;
  if (typeof value.value === "bigint") return Number(value.value);
  return null;
}

/** A number, or a per-layer array of numbers (some architectures store head counts per layer). */
export function metaNumberOrArray(metadata: GgufMetadata, key: string): number | number[] | null {
  const value = metadata.get(key);
  if (value?.type === "array") {
    if (value.itemType === "array" || value.itemType === "string" || value.itemType === "bool") return null;
    return (value.items as (number | bigint)[]).map(Number);
  }
  return metaNumber(metadata, key);
}

export function metaString(metadata: GgufMetadata, key: string): string | null {
  const value = metadata.get(key);
  return value?.type === "string" ? value.value : null;
}

export function metaArrayLength(metadata: GgufMetadata, key: string): number | null {
  const value = metadata.get(key);
  return value?.type === "array" ? value.items.length : null;
}

/** A per-layer flag list (bools, or numbers read as "non-zero"); a scalar gives a one-entry list. Null when absent. */
export function metaFlags(metadata: GgufMetadata, key: string): boolean[] | null {
  const value = metadata.get(key);
  if (value === undefined) return null;
  if (value.type === "array") {
    if (value.itemType === "array" || value.itemType === "string") return null;
    return (value.items as (number | bigint | boolean)[]).map((item) => item !== false && Number(item) !== 0);
  }
  if (value.type === "bool") return [value.value];
  const number = metaNumber(metadata, key);
  return number === null ? null : [number !== 0];
}
