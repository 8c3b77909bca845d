/**
 * Reference dequantizers, transcribed from ggml's ggml-quants.c (dequantize_row_*), independent of the encoders
 * under test: each decodes one block of `type` at `at` into values.
 */

function half(buf: Buffer, at: number): number {
  const bits = buf.readUInt16LE(at);
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 31) return mantissa ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

const KVALUES_IQ4NL = [-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113];
const KVALUES_MXFP4 = [0, 1, 2, 3, 4, 6, 8, 12, 0, -1, -2, -3, -4, -6, -8, -12];

/** get_scale_min_k4 */
function scaleMinK4(j: number, q: Buffer, at: number): [number, number] {
  const b = (i: number) => q[at + i] as number;
  if (j < 4) return [b(j) & 63, b(j + 4) & 63];
  return [(b(j + 4) & 0xf) | ((b(j - 4) >> 6) << 4), (b(j + 4) >> 4) | ((b(j) >> 6) << 4)];
}

export const DEQUANTIZE: Record<string, (b: Buffer, at: number) => number[]> = {
  F32: (b, at) => [b.readFloatLE(at)],
  F16: (b, at) => [half(b, at)],
  BF16: (b, at) => {
    const f = Buffer.alloc(4);
    f.writeUInt32LE((b.readUInt16LE(at) << 16) >>> 0);
    return [f.readFloatLE(0)];
  },
  Q8_0: (b, at) => Array.from({ length: 32 }, (_, j) => half(b, at) * b.readInt8(at + 2 + j)),
  Q4_0: (b, at) => {
    const d = half(b, at);
    const y = new Array<number>(32);
    for (let j = 0; j < 16; j++) {
      const q = b[at + 2 + j] as number;
      y[j] = ((q & 0xf) - 8) * d;
      y[j + 16] = ((q >> 4) - 8) * d;
    }
    return y;
  },
  Q5_0: (b, at) => q5(b, half(b, at), 0, -16, at + 2),
  Q5_1: (b, at) => q5(b, half(b, at), half(b, at + 2), 0, at + 4),
  IQ4_NL: (b, at) => {
    const d = half(b, at);
    const y = new Array<number>(32);
    for (let j = 0; j < 16; j++) {
      const q = b[at + 2 + j] as number;
      y[j] = d * (KVALUES_IQ4NL[q & 0xf] as number);
      y[j + 16] = d * (KVALUES_IQ4NL[q >> 4] as number);
    }
    return y;
  },
  MXFP4: (b, at) => {
    const e = b[at] as number;
    const d = e < 2 ? 2 ** -149 * (0x00200000 << e) : 2 ** (e - 1 - 127); // ggml_e8m0_to_fp32_half
    const y = new Array<number>(32);
    for (let j = 0; j < 16; j++) {
      const q = b[at + 1 + j] as number;
      y[j] = d * (KVALUES_MXFP4[q & 0xf] as number);
      y[j + 16] = d * (KVALUES_MXFP4[q >> 4] as number);
    }
    return y;
  },
  Q2_K: (b, at) => {
    const d = half(b, at + 80);
    const min = half(b, at + 82);
    const y: number[] = [];
    let is = 0;
    for (let n = 0, q = at + 16; n < 256; n += 128, q += 32) {
      for (let j = 0, shift = 0; j < 4; j++, shift += 2) {
        for (const half16 of [0, 16]) {
          const sc = b[at + is++] as number;
          for (let l = 0; l < 16; l++)
            y.push(d * (sc & 0xf) * (((b[q + l + half16] as number) >> shift) & 3) - min * (sc >> 4));
        }
      }
    }
    return y;
  },
  Q3_K: (b, at) => {
    const d = half(b, at + 108);
    const raw = b.subarray(at + 96, at + 108);
    const scales = Array.from({ length: 16 }, (_, j) => {
      const low = j < 8 ? (raw[j] as number) & 0xf : (raw[j - 8] as number) >> 4;
      const high = ((raw[8 + (j % 4)] as number) >> (2 * Math.floor(j / 4))) & 3;
      return (low | (high << 4)) - 32;
    });
    const y: number[] = [];
    let is = 0;
    let m = 1;
    for (let n = 0, q = at + 32; n < 256; n += 128, q += 32) {
      for (let j = 0, shift = 0; j < 4; j++, shift += 2, m <<= 1) {
        for (const half16 of [0, 16]) {
          const dl = d * (scales[is++] as number);
          for (let l = 0; l < 16; l++) {
            const low = ((b[q + l + half16] as number) >> shift) & 3;
            const high = (b[at + l + half16] as number) & m ? 0 : 4;
            y.push(dl * (low - high));
          }
        }
      }
    }
    return y;
  },
  Q4_K: (b, at) => {
    const d = half(b, at);
    const min = half(b, at + 2);
    const y: number[] = [];
    for (let j = 0, q = at + 16, is = 0; j < 256; j += 64, q += 32, is += 2) {
      const [sc1, m1] = scaleMinK4(is, b, at + 4);
      const [sc2, m2] = scaleMinK4(is + 1, b, at + 4);
      for (let l = 0; l < 32; l++) y.push(d * sc1 * ((b[q + l] as number) & 0xf) - min * m1);
      for (let l = 0; l < 32; l++) y.push(d * sc2 * ((b[q + l] as number) >> 4) - min * m2);
    }
    return y;
  },
  Q5_K: (b, at) => {
    const d = half(b, at);
    const min = half(b, at + 2);
    const qh = at + 16;
    const y: number[] = [];
    for (let j = 0, ql = at + 48, is = 0, u1 = 1, u2 = 2; j < 256; j += 64, ql += 32, is += 2, u1 <<= 2, u2 <<= 2) {
      const [sc1, m1] = scaleMinK4(is, b, at + 4);
      const [sc2, m2] = scaleMinK4(is + 1, b, at + 4);
      for (let l = 0; l < 32; l++)
        y.push(d * sc1 * (((b[ql + l] as number) & 0xf) + ((b[qh + l] as number) & u1 ? 16 : 0)) - min * m1);
      for (let l = 0; l < 32; l++)
        y.push(d * sc2 * (((b[ql + l] as number) >> 4) + ((b[qh + l] as number) & u2 ? 16 : 0)) - min * m2);
    }
    return y;
  },
  Q6_K: (b, at) => {
    const d = half(b, at + 208);
    const y = new Array<number>(256);
    for (let n = 0, ql = at, qh = at + 128, sc = at + 192; n < 256; n += 128, ql += 64, qh += 32, sc += 8) {
      for (let l = 0; l < 32; l++) {
        const is = Math.floor(l / 16);
        const h = b[qh + l] as number;
        const s = (k: number) => b.readInt8(sc + is + k);
        y[n + l] = d * s(0) * ((((b[ql + l] as number) & 0xf) | ((h & 3) << 4)) - 32);
        y[n + l + 32] = d * s(2) * ((((b[ql + l + 32] as number) & 0xf) | (((h >> 2) & 3) << 4)) - 32);
        y[n + l + 64] = d * s(4) * ((((b[ql + l] as number) >> 4) | (((h >> 4) & 3) << 4)) - 32);
        y[n + l + 96] = d * s(6) * ((((b[ql + l + 32] as number) >> 4) | (((h >> 6) & 3) << 4)) - 32);
      }
    }
    return y;
  },
};

/** Q5_0 / Q5_1: a u32 of fifth bits at qhAt, then 16 bytes of nibbles. */
function q5(b: Buffer, d: number, m: number, offset: number, qhAt: number): number[] {
  const qh = b.readUInt32LE(qhAt);
  const qs = qhAt + 4;
  const y = new Array<number>(32);
  for (let j = 0; j < 16; j++) {
    const x0 = (((b[qs + j] as number) & 0xf) | (((qh >>> j) << 4) & 0x10)) + offset;
    const x1 = (((b[qs + j] as number) >> 4) | ((qh >>> (j + 12)) & 0x10)) + offset;
    y[j] = x0 * d + m;
    y[j + 16] = x1 * d + m;
  }
  return y;
}
