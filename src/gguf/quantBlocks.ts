import { toHalfBits } from "./halfBits.ts";

/** A source of uniform random numbers in [0, 1). */
export type Random = () => number;

/**
 * Encoders of one block of each ggml type the synthesiser writes, with random quants and real, finite scales
 * chosen so that every dequantized value lies within [-scale, scale] (layouts and dequantization formulas:
 * ggml/src/ggml-common.h and ggml-quants.c dequantize_row_*). Scales are fixed per type and the quants random,
 * so the weights are uniform-ish noise of the asked magnitude: the kernels run exactly as on a trained model.
 */
export const BLOCK_ENCODERS: Readonly<
  Record<string, (out: Buffer, at: number, random: Random, scale: number) => void>
> = {
  F32: (out, at, random, scale) => out.writeFloatLE((random() * 2 - 1) * scale, at),
  F16: (out, at, random, scale) => out.writeUInt16LE(toHalfBits((random() * 2 - 1) * scale), at),
  BF16: (out, at, random, scale) => out.writeUInt16LE(toBf16Bits((random() * 2 - 1) * scale), at),
  // x = d * q, q in [-127, 127]
  Q8_0: (out, at, random, scale) => {
    out.writeUInt16LE(toHalfBits(scale / 127), at);
    for (let i = 0; i < 32; i++) out.writeInt8(Math.round(random() * 254) - 127, at + 2 + i);
  },
  // x = d * (q - 8), q in [0, 15]
  Q4_0: (out, at, random, scale) => {
    out.writeUInt16LE(toHalfBits(scale / 8), at);
    randomBytes(out, at + 2, 16, random);
  },
  // x = d * (q - 16), q in [0, 31] (4 low bits in qs, the 5th in qh)
  Q5_0: (out, at, random, scale) => {
    out.writeUInt16LE(toHalfBits(scale / 16), at);
    randomBytes(out, at + 2, 4 + 16, random);
  },
  // x = d * q + m, q in [0, 31]
  Q5_1: (out, at, random, scale) => {
    out.writeUInt16LE(toHalfBits((2 * scale) / 31), at);
    out.writeUInt16LE(toHalfBits(-scale), at + 2);
    randomBytes(out, at + 4, 4 + 16, random);
  },
  // x = d * kvalues_iq4nl[q], kvalues in [-127, 113]
  IQ4_NL: (out, at, random, scale) => {
    out.writeUInt16LE(toHalfBits(scale / 127), at);
    randomBytes(out, at + 2, 16, random);
  },
  // x = 2^(e - 128) * kvalues_mxfp4[q], |kvalues| <= 12 (E8M0 shared exponent, E2M1 values doubled)
  MXFP4: (out, at, random, scale) => {
    out.writeUInt8(Math.max(1, Math.min(254, 128 + Math.floor(Math.log2(scale / 12)))), at);
    randomBytes(out, at + 1, 16, random);
  },
  // scales[16] (low nibble scale 8, high nibble min 12), qs[64], d, dmin = d: x = d * (8q - 12), q in [0, 3]
  Q2_K: (out, at, random, scale) => {
    out.fill(0xc8, at, at + 16);
    randomBytes(out, at + 16, 64, random);
    out.writeUInt16LE(toHalfBits(scale / 12), at + 80);
    out.writeUInt16LE(toHalfBits(scale / 12), at + 82);
  },
  // hmask[32], qs[64], scales[12] (every 6-bit scale 40, i.e. 8 after the -32 offset), d: x = 8d * q, q in [-4, 3]
  Q3_K: (out, at, random, scale) => {
    randomBytes(out, at, 32 + 64, random);
    out.fill(0x88, at + 96, at + 104);
    out.fill(0xaa, at + 104, at + 108);
    out.writeUInt16LE(toHalfBits(scale / 32), at + 108);
  },
  // d, dmin, scales[12] (every 6-bit scale and min 32), qs[128]: x = 32d * q - 32 dmin = 32d (q - 7.5)
  Q4_K: (out, at, random, scale) => {
    const d = scale / 240;
    out.writeUInt16LE(toHalfBits(d), at);
    out.writeUInt16LE(toHalfBits(7.5 * d), at + 2);
    writeKScales(out, at + 4);
    randomBytes(out, at + 16, 128, random);
  },
  // as Q4_K with a fifth bit in qh[32]: x = 32d (q - 15.5), q in [0, 31]
  Q5_K: (out, at, random, scale) => {
    const d = scale / 496;
    out.writeUInt16LE(toHalfBits(d), at);
    out.writeUInt16LE(toHalfBits(15.5 * d), at + 2);
    writeKScales(out, at + 4);
    randomBytes(out, at + 16, 32 + 128, random);
  },
  // ql[128], qh[64], int8 scales[16] = 16, d: x = 16d (q - 32), q in [0, 63]
  Q6_K: (out, at, random, scale) => {
    randomBytes(out, at, 128 + 64, random);
    out.fill(16, at + 192, at + 208);
    out.writeUInt16LE(toHalfBits(scale / 512), at + 208);
  },
};

/** The 12 packed bytes of Q4_K/Q5_K scales when all eight 6-bit scales and mins are 32 (get_scale_min_k4). */
function writeKScales(out: Buffer, at: number): void {
  out.fill(0xa0, at, at + 8);
  out.fill(0x00, at + 8, at + 12);
}

function randomBytes(out: Buffer, at: number, count: number, random: Random): void {
  for (let i = 0; i < count; i++) out[at + i] = Math.floor(random() * 256);
}

const floatView = new Float32Array(1);
const bitsView = new Uint32Array(floatView.buffer);

/** bfloat16 bits of a finite float: the high half of its f32 bits, rounded to nearest even. */
export function toBf16Bits(value: number): number {
  floatView[0] = value;
  const x = bitsView[0] as number;
  return ((x + 0x7fff + ((x >>> 16) & 1)) >>> 16) & 0xffff;
}
