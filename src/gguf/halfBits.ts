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
