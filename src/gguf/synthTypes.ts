/**
 * What `synth --type` accepts. A mix is one of llama.cpp's file types (`llama-quantize MODEL OUT Q4_K_M`): each
 * tensor gets the type llama.cpp's quantize rules give it (src/gguf/llamaQuantRules.ts). A single type puts every
 * quantizable tensor in that type, as `llama-quantize --pure` does (shape fallbacks still apply), and writes the
 * general.file_type `--pure` would write.
 */
export interface SynthTypeSpec {
  /** llama.cpp's llama_ftype name, written as general.file_type (src/gguf/fileTypes.ts). */
  fileType: string;
  /** The ggml type of most weights (llama_ftype_get_default_type). */
  defaultType: string;
  /** true: every quantizable tensor in defaultType (`--pure`); false: llama.cpp's per-tensor rules. */
  pure: boolean;
}

const mix = (fileType: string, defaultType: string): SynthTypeSpec => ({ fileType, defaultType, pure: false });
const single = (fileType: string, defaultType: string): SynthTypeSpec => ({ fileType, defaultType, pure: true });

const SYNTH_TYPE_SPECS = {
  f32: mix("F32", "F32"),
  f16: mix("F16", "F16"),
  bf16: mix("BF16", "BF16"),
  q8_0: mix("Q8_0", "Q8_0"),
  q4_0: mix("Q4_0", "Q4_0"),
  q4_k_s: mix("Q4_K_S", "Q4_K"),
  q4_k_m: mix("Q4_K_M", "Q4_K"),
  q5_k_m: mix("Q5_K_M", "Q5_K"),
  q6_k: mix("Q6_K", "Q6_K"),
  mxfp4_moe: mix("MXFP4_MOE", "MXFP4"),
  q2_k: single("Q2_K", "Q2_K"),
  q3_k: single("Q3_K_S", "Q3_K"),
  q4_k: single("Q4_K_S", "Q4_K"),
  q5_k: single("Q5_K_S", "Q5_K"),
  iq4_nl: single("IQ4_NL", "IQ4_NL"),
  mxfp4: single("MXFP4_MOE", "MXFP4"),
} as const satisfies Record<string, SynthTypeSpec>;

export type SynthType = keyof typeof SYNTH_TYPE_SPECS;
export const SYNTH_TYPES = Object.keys(SYNTH_TYPE_SPECS) as SynthType[];

export function synthTypeSpec(type: SynthType): SynthTypeSpec {
  return SYNTH_TYPE_SPECS[type];
}
