import assert from "node:assert/strict";
import { test } from "node:test";
import { ggmlTypeId } from "../../src/gguf/ggmlTypes.ts";
import type { GgufTensorInfo } from "../../src/gguf/ggufValue.ts";
import { toHalfBits } from "../../src/gguf/halfBits.ts";
import { seededWeights } from "../../src/gguf/weightPattern.ts";

/** Reference decoder for IEEE half bits. */
function fromHalfBits(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 31) return mantissa ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

test("toHalfBits: exact bit patterns for normal, subnormal, tiny and huge values", () => {
  assert.equal(toHalfBits(1), 0x3c00);
  assert.equal(toHalfBits(-2), 0xc000);
  assert.equal(toHalfBits(0.5), 0x3800);
  assert.equal(toHalfBits(0), 0);
  assert.equal(toHalfBits(65504), 0x7bff);
  assert.equal(toHalfBits(1e9), 0x7bff); // clamped, never Inf
  assert.equal(toHalfBits(2 ** -14), 0x0400); // smallest normal
  assert.equal(toHalfBits(2 ** -24), 0x0001); // smallest subnormal
  assert.equal(toHalfBits(1e-9), 0);
  assert.equal(fromHalfBits(toHalfBits(0.02 / 127)), (1 + 297 / 1024) * 2 ** -13); // nearest half to 1.5748e-4
});

const tensor = (name: string, type: string, dimensions: number[]): GgufTensorInfo => ({
  name,
  dimensions,
  typeId: ggmlTypeId(type),
  offset: 0,
});

function collect(chunks: Iterable<Buffer>): Buffer {
  return Buffer.concat([...chunks]);
}

test("seeded weights: exact sizes, finite values within the scale, sane quantized block scales", () => {
  const scale = 0.125;
  const weights = seededWeights(3, scale);
  // 6 MiB of F16: longer than the 4 MiB pattern, so the stream wraps around it.
  const f16 = collect(weights(tensor("a.weight", "F16", [1024, 3072]), 0));
  assert.equal(f16.length, 1024 * 3072 * 2);
  for (let i = 0; i < f16.length; i += 2) {
    const v = fromHalfBits(f16.readUInt16LE(i));
    assert.ok(Number.isFinite(v) && Math.abs(v) <= scale * 1.001, `f16 value ${v} at ${i}`);
  }
  const q8 = collect(weights(tensor("b.weight", "Q8_0", [64, 10]), 1));
  assert.equal(q8.length, 20 * 34);
  for (let b = 0; b < 20; b++)
    assert.equal(fromHalfBits(q8.readUInt16LE(b * 34)), fromHalfBits(toHalfBits(scale / 127)));
  const q4 = collect(weights(tensor("c.weight", "Q4_0", [32, 4]), 2));
  assert.equal(q4.length, 4 * 18);
  for (let b = 0; b < 4; b++) assert.equal(fromHalfBits(q4.readUInt16LE(b * 18)), scale / 8);
  const f32 = collect(weights(tensor("d.bias", "F32", [100]), 3));
  for (let i = 0; i < 400; i += 4) assert.ok(Math.abs(f32.readFloatLE(i)) <= scale);
  const norm = collect(weights(tensor("blk.0.attn_norm.weight", "F32", [5]), 4));
  assert.deepEqual(
    [0, 4, 8, 12, 16].map((i) => norm.readFloatLE(i)),
    [1, 1, 1, 1, 1],
  );
});

test("seeded weights are deterministic per seed and differ between tensors and seeds", () => {
  const t = tensor("x.weight", "Q8_0", [64, 8]);
  const a = collect(seededWeights(1, 0.1)(t, 0));
  assert.ok(a.equals(collect(seededWeights(1, 0.1)(t, 0))));
  assert.ok(!a.equals(collect(seededWeights(1, 0.1)(t, 1))));
  assert.ok(!a.equals(collect(seededWeights(2, 0.1)(t, 0))));
});
