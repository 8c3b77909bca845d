/**
 * Exact conversions between float32 and ggml's 16-bit floats, bit for bit as ggml does them, so a tensor
 * converted here equals llama-quantize's. IEEE half: round to nearest, ties to even (ggml-impl.h
 * `ggml_compute_fp32_to_fp16`, the FP16 library's branch-free algorithm, ported as is). bfloat16: the top 16
 * bits of a float32 (widening is exact).
 */
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

function bitsOf(value: number): number {
  f32[0] = value;
  return u32[0] as number;
}

function fromBits(bits: number): number {
  u32[0] = bits >>> 0;
  return f32[0] as number;
}

const SCALE_TO_INF = 2 ** 112;
const SCALE_TO_ZERO = 2 ** -110;

/** float32 → IEEE half bits, round to nearest even; NaN → 0x7e00 with the sign, overflow → ±Inf. */
export function float32ToFloat16Bits(value: number): number {
  let base = Math.fround(Math.fround(Math.abs(Math.fround(value)) * SCALE_TO_INF) * SCALE_TO_ZERO);
  const w = bitsOf(value);
  const shl1W = (w * 2) % 2 ** 32;
  const sign = (w & 0x80000000) >>> 0;
  let bias = (shl1W & 0xff000000) >>> 0;
  if (bias < 0x71000000) bias = 0x71000000;
  base = Math.fround(fromBits((bias >>> 1) + 0x07800000) + base);
  const bits = bitsOf(base);
  const expBits = (bits >>> 13) & 0x00007c00;
  const mantissaBits = bits & 0x00000fff;
  const nonSign = expBits + mantissaBits;
  return ((sign >>> 16) | (shl1W > 0xff000000 ? 0x7e00 : nonSign)) & 0xffff;
}

/** IEEE half bits → the float32 value (exact). */
export function float16BitsToFloat32(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 31) return mantissa === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/** bfloat16 bits → the float32 value (exact: they are the float's upper half). */
export function bfloat16BitsToFloat32(bits: number): number {
  return fromBits((bits & 0xffff) << 16);
}
