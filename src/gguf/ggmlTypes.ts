/** One ggml tensor type: `blockElements` values take `blockBytes` bytes (ggml's type_traits). */
export interface GgmlTypeInfo {
  name: string;
  blockElements: number;
  blockBytes: number;
}

const t = (name: string, blockElements: number, blockBytes: number): GgmlTypeInfo => ({
  name,
  blockElements,
  blockBytes,
});

// Indexed by ggml_type id; ids 4, 5 (Q4_2, Q4_3) and 31-33, 36-38 (repacked Q4_0/IQ4_NL) were removed from ggml
// but old files may still name them, so they keep their historical sizes.
const GGML_TYPES: readonly (GgmlTypeInfo | undefined)[] = [
  t("F32", 1, 4),
  t("F16", 1, 2),
  t("Q4_0", 32, 18),
  t("Q4_1", 32, 20),
  undefined,
  undefined,
  t("Q5_0", 32, 22),
  t("Q5_1", 32, 24),
  t("Q8_0", 32, 34),
  t("Q8_1", 32, 36),
  t("Q2_K", 256, 84),
  t("Q3_K", 256, 110),
  t("Q4_K", 256, 144),
  t("Q5_K", 256, 176),
  t("Q6_K", 256, 210),
  t("Q8_K", 256, 292),
  t("IQ2_XXS", 256, 66),
  t("IQ2_XS", 256, 74),
  t("IQ3_XXS", 256, 98),
  t("IQ1_S", 256, 50),
  t("IQ4_NL", 32, 18),
  t("IQ3_S", 256, 110),
  t("IQ2_S", 256, 82),
  t("IQ4_XS", 256, 136),
  t("I8", 1, 1),
  t("I16", 1, 2),
  t("I32", 1, 4),
  t("I64", 1, 8),
  t("F64", 1, 8),
  t("IQ1_M", 256, 56),
  t("BF16", 1, 2),
  t("Q4_0_4_4", 32, 18),
  t("Q4_0_4_8", 32, 18),
  t("Q4_0_8_8", 32, 18),
  t("TQ1_0", 256, 54),
  t("TQ2_0", 256, 66),
  t("IQ4_NL_4_4", 32, 18),
  t("IQ4_NL_4_8", 32, 18),
  t("IQ4_NL_8_8", 32, 18),
  t("MXFP4", 32, 17),
  t("NVFP4", 64, 36),
  t("Q1_0", 128, 18),
  t("Q2_0", 64, 18),
];

export function ggmlTypeInfo(typeId: number): GgmlTypeInfo | undefined {
  return GGML_TYPES[typeId];
}

export function ggmlTypeId(name: string): number {
  const id = GGML_TYPES.findIndex((info) => info?.name === name);
  if (id < 0) throw new Error(`unknown ggml type ${name}`);
  return id;
}
