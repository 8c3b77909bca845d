import { float32ToFloat16Bits } from "./float16.ts";

/** Values per block of Q8_0 and Q4_0 (ggml's QK8_0, QK4_0). */
export const QK = 32;
export const Q8_0_BLOCK_BYTES = 34;
export const Q4_0_BLOCK_BYTES = 18;

const fr = Math.fround;

/** C's roundf: half away from zero (Math.round rounds half up, which differs for negative halves). */
function roundHalfAway(value: number): number {
  return value < 0 ? -Math.floor(-value + 0.5) : Math.floor(value + 0.5);
}

function checkLength(values: Float32Array): number {
  if (values.length % QK !== 0) throw new RangeError(`${values.length} values are not whole blocks of ${QK}`);
  return values.length / QK;
}

/**
 * Q8_0 blocks of `values` (a multiple of 32): per block an f16 scale d = amax / 127 and 32 int8 round(x / d).
 * Bit for bit ggml's `quantize_row_q8_0_ref` (ggml-quants.c), which llama-quantize uses: every step in
 * float32 (Math.fround), roundf half away from zero.
 */
export function quantizeQ8_0(values: Float32Array): Buffer {
  const blocks = checkLength(values);
  const out = Buffer.alloc(blocks * Q8_0_BLOCK_BYTES);
  for (let b = 0; b < blocks; b++) {
    const at = b * QK;
    let amax = 0;
    for (let j = 0; j < QK; j++) amax = Math.max(amax, Math.abs(values[at + j] as number));
    const d = fr(amax / 127);
    const id = d ? fr(1 / d) : 0;
    const block = b * Q8_0_BLOCK_BYTES;
    out.writeUInt16LE(float32ToFloat16Bits(d), block);
    for (let j = 0; j < QK; j++) out.writeInt8(roundHalfAway(fr((values[at + j] as number) * id)), block + 2 + j);
  }
  return out;
}

/**
 * Q4_0 blocks of `values` (a multiple of 32): per block an f16 scale d = max / −8, where max is the value of
 * largest magnitude (sign kept), and 32 nibbles min(15, trunc(x / d + 8.5)); value j in the low nibble of byte j,
 * value j + 16 in its high nibble. Bit for bit ggml's `quantize_row_q4_0_ref` (used by llama-quantize when no
 * importance matrix is given).
 */
export function quantizeQ4_0(values: Float32Array): Buffer {
  const blocks = checkLength(values);
  const out = Buffer.alloc(blocks * Q4_0_BLOCK_BYTES);
  for (let b = 0; b < blocks; b++) {
    const at = b * QK;
    let amax = 0;
    let max = 0;
    for (let j = 0; j < QK; j++) {
      const v = values[at + j] as number;
      if (amax < Math.abs(v)) {
        amax = Math.abs(v);
        max = v;
      }
    }
    const d = fr(max / -8);
    const id = d ? fr(1 / d) : 0;
    const block = b * Q4_0_BLOCK_BYTES;
    out.writeUInt16LE(float32ToFloat16Bits(d), block);
    for (let j = 0; j < QK / 2; j++) {
      const x0 = fr((values[at + j] as number) * id);
      const x1 = fr((values[at + QK / 2 + j] as number) * id);
      const q0 = Math.min(15, Math.trunc(fr(x0 + 8.5)));
      const q1 = Math.min(15, Math.trunc(fr(x1 + 8.5)));
      out.writeUInt8(q0 | (q1 << 4), block + 2 + j);
    }
  }
  return out;
}

/** float32 values as IEEE half, round to nearest even (ggml's `ggml_fp32_to_fp16_row`). */
export function toFloat16(values: Float32Array): Buffer {
  const out = Buffer.alloc(values.length * 2);
  for (let i = 0; i < values.length; i++) out.writeUInt16LE(float32ToFloat16Bits(values[i] as number), i * 2);
  return out;
}
