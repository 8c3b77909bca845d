import { ggmlTypeId, ggmlTypeInfo } from "./ggmlTypes.ts";
import type { GgufTensorInfo } from "./ggufValue.ts";
import { tensorBytes } from "./readGgufHeader.ts";

/** A few MiB of seeded weights per type, streamed over and over: a 7B file is written at disk speed. */
const PATTERN_TARGET_BYTES = 4 * 1024 * 1024;

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const floatView = new Float32Array(1);
const bitsView = new Uint32Array(floatView.buffer);

/** IEEE half bits of a float (round half up; values here are small and normal, never Inf/NaN). */
export function toHalfBits(value: number): number {
  floatView[0] = value;
  const x = bitsView[0] as number;
  const sign = (x >>> 16) & 0x8000;
  const exponent = ((x >>> 23) & 0xff) - 127 + 15;
  const mantissa = x & 0x7fffff;
  if (exponent <= 0) {
    if (exponent < -10) return sign;
    const full = mantissa | 0x800000;
    const shift = 14 - exponent;
    return sign | ((full >>> shift) + ((full >>> (shift - 1)) & 1));
  }
  if (exponent >= 31) return sign | 0x7bff; // clamp to the largest finite half
  return (sign | (exponent << 10) | (mantissa >>> 13)) + ((mantissa >>> 12) & 1);
}

/**
 * Bytes of seeded weights for one ggml type, uniform in [-scale, scale]. Quantized blocks get a real f16 scale
 * (scale/127 for Q8_0, scale/8 for Q4_0) and random quants, so dequantized values stay in the same range.
 */
function makePattern(typeName: string, seed: number, scale: number): Buffer {
  const type = ggmlTypeInfo(ggmlTypeId(typeName));
  if (!type) throw new Error(`no ggml type ${typeName}`);
  const blocks = Math.floor(PATTERN_TARGET_BYTES / type.blockBytes);
  const out = Buffer.alloc(blocks * type.blockBytes);
  const random = prng(seed);
  const uniform = () => (random() * 2 - 1) * scale;
  switch (typeName) {
    case "F32":
      for (let i = 0; i < blocks; i++) out.writeFloatLE(uniform(), i * 4);
      break;
    case "F16":
      for (let i = 0; i < blocks; i++) out.writeUInt16LE(toHalfBits(uniform()), i * 2);
      break;
    case "Q8_0":
      for (let b = 0, at = 0; b < blocks; b++) {
        out.writeUInt16LE(toHalfBits(scale / 127), at);
        at += 2;
        for (let i = 0; i < 32; i++, at++) out.writeInt8(Math.round(random() * 254) - 127, at);
      }
      break;
    case "Q4_0":
      for (let b = 0, at = 0; b < blocks; b++) {
        out.writeUInt16LE(toHalfBits(scale / 8), at);
        at += 2;
        for (let i = 0; i < 16; i++, at++) out.writeUInt8(Math.floor(random() * 256), at);
      }
      break;
    default:
      throw new Error(`synthetic weights of type ${typeName} are not supported`);
  }
  return out;
}

/**
 * Tensor data for the writer: norm weights are ones (as after training starts), everything else streams a
 * seeded pattern from a per-tensor starting block, so tensors differ but nothing large is ever generated.
 */
export function seededWeights(seed: number, scale: number) {
  const patterns = new Map<number, Buffer>();
  const patternFor = (typeId: number) => {
    let pattern = patterns.get(typeId);
    if (!pattern) {
      const type = ggmlTypeInfo(typeId);
      pattern = makePattern(type?.name ?? String(typeId), seed * 7919 + typeId, scale);
      patterns.set(typeId, pattern);
    }
    return pattern;
  };
  return function* (tensor: GgufTensorInfo, index: number): Iterable<Buffer> {
    const total = tensorBytes(tensor);
    if (tensor.name.endsWith("norm.weight")) {
      const ones = Buffer.alloc(total);
      for (let i = 0; i < total; i += 4) ones.writeFloatLE(1, i);
      yield ones;
      return;
    }
    const pattern = patternFor(tensor.typeId);
    const blockBytes = ggmlTypeInfo(tensor.typeId)?.blockBytes ?? 1;
    const blocks = pattern.length / blockBytes;
    let at = (Math.floor(prng(seed + index * 104729)() * blocks) % blocks) * blockBytes;
    for (let left = total; left > 0; ) {
      const take = Math.min(left, pattern.length - at);
      yield pattern.subarray(at, at + take);
      left -= take;
      at = (at + take) % pattern.length;
    }
  };
}
