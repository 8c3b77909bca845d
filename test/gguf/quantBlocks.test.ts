import assert from "node:assert/strict";
import { test } from "node:test";
import { ggmlTypeId, ggmlTypeInfo } from "../../src/gguf/ggmlTypes.ts";
import { toBf16Bits } from "../../src/gguf/quantBlocks.ts";
import { SYNTH_WEIGHT_TYPES, seededWeights } from "../../src/gguf/weightPattern.ts";
import { DEQUANTIZE } from "./dequantizeBlocks.ts";

test("every synthesised weight type decodes (by ggml's formulas) to finite values spread over [-scale, scale]", () => {
  const scale = 1 / 16;
  assert.deepEqual([...SYNTH_WEIGHT_TYPES].sort(), Object.keys(DEQUANTIZE).sort());
  for (const type of SYNTH_WEIGHT_TYPES) {
    const info = ggmlTypeInfo(ggmlTypeId(type));
    assert.ok(info);
    const tensor = { name: `w.${type}.weight`, dimensions: [1024, 16], typeId: ggmlTypeId(type), offset: 0 };
    const bytes = Buffer.concat([...seededWeights(5, scale)(tensor, 0)]);
    assert.equal(bytes.length, ((1024 * 16) / info.blockElements) * info.blockBytes, type);
    const values: number[] = [];
    const decode = DEQUANTIZE[type];
    assert.ok(decode, type);
    for (let at = 0; at < bytes.length; at += info.blockBytes) values.push(...decode(bytes, at));
    assert.equal(values.length, 1024 * 16, type);
    let min = Infinity;
    let max = -Infinity;
    for (const v of values) {
      assert.ok(Number.isFinite(v), `${type}: ${v}`);
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    // fp16 scales round by up to 2^-11 each; two of them meet in the k-quants' d * sc * q - dmin * m.
    assert.ok(min >= -scale * 1.01 && max <= scale * 1.01, `${type}: [${min}, ${max}] outside ±${scale}`);
    assert.ok(min <= -scale / 2 && max >= scale / 2, `${type}: [${min}, ${max}] does not span ±${scale / 2}`);
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    assert.ok(Math.abs(mean) < scale / 4, `${type}: mean ${mean} far from 0`);
  }
});

test("toBf16Bits keeps the high half of the float bits, rounding to nearest even", () => {
  assert.equal(toBf16Bits(1), 0x3f80);
  assert.equal(toBf16Bits(-2), 0xc000);
  assert.equal(toBf16Bits(0), 0);
  assert.equal(toBf16Bits(1 + 2 ** -8), 0x3f80); // exactly half way: stays even
  assert.equal(toBf16Bits(1 + 3 * 2 ** -8), 0x3f82); // half way from odd 0x3f81: rounds up to even
  assert.equal(toBf16Bits(1 + 2 ** -7 + 2 ** -9), 0x3f81);
});
