import assert from "node:assert/strict";
import { test } from "node:test";
import { quantizeQ4_0, quantizeQ8_0, toFloat16 } from "../../src/quantize/quantizeBlocks.ts";

function block(values: number[]): Float32Array {
  const out = new Float32Array(32);
  out.set(values);
  return out;
}

test("Q8_0: scale amax/127 as f16, quants round half away from zero (C roundf)", () => {
  // amax = 127 makes d = 1 and 1/d = 1 exactly, so each quant is roundf(x).
  const q = quantizeQ8_0(block([127, -127, 2.5, -2.5, 0.49, -0.5, 1.5, -1.5]));
  assert.equal(q.length, 34);
  assert.equal(q.readUInt16LE(0), 0x3c00); // d = 1
  assert.deepEqual([...new Int8Array(q.buffer, q.byteOffset + 2, 8)], [127, -127, 3, -3, 0, -1, 2, -2]);
  assert.deepEqual([...new Int8Array(q.buffer, q.byteOffset + 10, 24)], new Array(24).fill(0));
});

test("Q8_0: an all-zero block has scale 0 and zero quants; the blocks follow each other", () => {
  const two = new Float32Array(64);
  two[32] = -254; // second block: d = 2, the value maps to −127
  two[33] = 3; // 1.5 → 2
  const q = quantizeQ8_0(two);
  assert.equal(q.length, 68);
  assert.equal(q.readUInt16LE(0), 0);
  assert.ok(q.subarray(2, 34).every((b) => b === 0));
  assert.equal(q.readUInt16LE(34), 0x4000); // d = 2
  assert.equal(q.readInt8(36), -127);
  assert.equal(q.readInt8(37), 2);
});

test("Q4_0: scale max/−8 keeps the sign of the largest value; nibbles trunc(x/d + 8.5) capped at 15", () => {
  // max = −8: d = 1, 1/d = 1; nibble = min(15, trunc(x + 8.5))
  const values = [-8, 7, 7.4, -7.6, 0, 0.5, -0.5, 7.6];
  const q = quantizeQ4_0(block(values));
  assert.equal(q.length, 18);
  assert.equal(q.readUInt16LE(0), 0x3c00);
  const low = [...q.subarray(2, 10)].map((b) => b & 0x0f);
  assert.deepEqual(low, [0, 15, 15, 0, 8, 9, 8, 15]);
  // values 16..31 are zero: high nibbles 8
  assert.ok([...q.subarray(2, 18)].every((b) => b >> 4 === 8));
  // max = +8: d = −1, so +8 maps to nibble 0 and −8 to min(15, 16)
  const flipped = quantizeQ4_0(block([8, -8]));
  assert.equal(flipped.readUInt16LE(0), 0xbc00);
  assert.equal((flipped[2] as number) & 0x0f, 0);
  assert.equal((flipped[3] as number) & 0x0f, 15);
});

test("Q4_0: value j sits in the low nibble of byte j, value j + 16 in its high nibble", () => {
  const values = new Float32Array(32);
  values[0] = -8; // d = 1
  values[16] = 3; // nibble trunc(11.5) = 11
  values[1] = -3; // nibble trunc(5.5) = 5
  const q = quantizeQ4_0(values);
  assert.equal(q[2], 0 | (11 << 4));
  assert.equal(q[3], 5 | (8 << 4));
});

test("a length that is not whole blocks is refused; F16 rows convert value by value", () => {
  assert.throws(() => quantizeQ8_0(new Float32Array(31)), RangeError);
  const h = toFloat16(Float32Array.from([1, -2, 0.1]));
  assert.deepEqual([h.readUInt16LE(0), h.readUInt16LE(2), h.readUInt16LE(4)], [0x3c00, 0xc000, 0x2e66]);
});
