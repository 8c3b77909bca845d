import assert from "node:assert/strict";
import { test } from "node:test";
import { bfloat16BitsToFloat32, float16BitsToFloat32, float32ToFloat16Bits } from "../../src/quantize/float16.ts";

test("float32 → half: exact values, overflow, NaN and signed zero", () => {
  assert.equal(float32ToFloat16Bits(0), 0x0000);
  assert.equal(float32ToFloat16Bits(-0), 0x8000);
  assert.equal(float32ToFloat16Bits(1), 0x3c00);
  assert.equal(float32ToFloat16Bits(-2), 0xc000);
  assert.equal(float32ToFloat16Bits(65504), 0x7bff); // largest half
  assert.equal(float32ToFloat16Bits(65520), 0x7c00); // halfway to the next step rounds to even: infinity
  assert.equal(float32ToFloat16Bits(1e6), 0x7c00);
  assert.equal(float32ToFloat16Bits(Number.NEGATIVE_INFINITY), 0xfc00);
  assert.equal(float32ToFloat16Bits(Number.NaN), 0x7e00);
  assert.equal(float32ToFloat16Bits(2 ** -14), 0x0400); // smallest normal
  assert.equal(float32ToFloat16Bits(0.1), 0x2e66);
});

test("float32 → half rounds to nearest, ties to even (normal and subnormal)", () => {
  assert.equal(float32ToFloat16Bits(1 + 2 ** -11), 0x3c00); // tie between 0x3c00 and 0x3c01: even
  assert.equal(float32ToFloat16Bits(1 + 3 * 2 ** -11), 0x3c02); // tie between 0x3c01 and 0x3c02: even
  assert.equal(float32ToFloat16Bits(1 + 2 ** -11 + 2 ** -20), 0x3c01); // just above the tie
  assert.equal(float32ToFloat16Bits(2 ** -24), 0x0001); // smallest subnormal
  assert.equal(float32ToFloat16Bits(2 ** -25), 0x0000); // tie with zero: even
  assert.equal(float32ToFloat16Bits(1.5 * 2 ** -24), 0x0002); // tie between 1 and 2 ulps: even
});

test("every finite half survives half → float32 → half unchanged", () => {
  for (let bits = 0; bits < 0x10000; bits++) {
    if ((bits & 0x7c00) === 0x7c00 && (bits & 0x3ff) !== 0) continue; // NaNs
    assert.equal(float32ToFloat16Bits(float16BitsToFloat32(bits)), bits, `bits 0x${bits.toString(16)}`);
  }
});

test("half and bfloat16 widen exactly", () => {
  assert.equal(float16BitsToFloat32(0x3555), 0.333251953125);
  assert.equal(float16BitsToFloat32(0x0001), 2 ** -24);
  assert.equal(float16BitsToFloat32(0xfc00), Number.NEGATIVE_INFINITY);
  assert.equal(bfloat16BitsToFloat32(0x3f80), 1);
  assert.equal(bfloat16BitsToFloat32(0xc040), -3);
  assert.equal(bfloat16BitsToFloat32(0x3eaa), 0.33203125);
});
