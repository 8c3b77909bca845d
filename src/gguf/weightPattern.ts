import { ggmlTypeId, ggmlTypeInfo } from "./ggmlTypes.ts";
import type { GgufTensorInfo } from "./ggufValue.ts";
import { BLOCK_ENCODERS, type Random } from "./quantBlocks.ts";
import { tensorBytes } from "./readGgufHeader.ts";

/** A few MiB of seeded weights per type, streamed over and over: a 7B file is written at disk speed. */
const PATTERN_TARGET_BYTES = 4 * 1024 * 1024;

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The ggml types the synthesiser can fill with seeded weights. */
export const SYNTH_WEIGHT_TYPES: readonly string[] = Object.keys(BLOCK_ENCODERS);

/**
 * Bytes of seeded weights for one ggml type, within [-scale, scale]: random values for float types, real finite
 * scales and random quants for quantized blocks (src/gguf/quantBlocks.ts).
 */
function makePattern(typeName: string, seed: number, scale: number): Buffer {
  const type = ggmlTypeInfo(ggmlTypeId(typeName));
  const encode = BLOCK_ENCODERS[typeName];
  if (!type || !encode) throw new Error(`synthetic weights of type ${typeName} are not supported`);
  const blocks = Math.floor(PATTERN_TARGET_BYTES / type.blockBytes);
  const out = Buffer.alloc(blocks * type.blockBytes);
  const random = prng(seed);
  for (let b = 0; b < blocks; b++) encode(out, b * type.blockBytes, random, scale);
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
