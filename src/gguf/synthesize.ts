import { GgufBenchError } from "../errors.ts";

// STUB (contract) — implemented by the GGUF module owner.
export type SynthArch = "llama" | "qwen2" | "llama-moe";
export type SynthType = "f32" | "f16" | "q8_0" | "q4_0";
export interface SynthOptions {
  arch: SynthArch;
  /** "tiny" | "25m" | "300m" | "1b" | "7b" (and any others the module defines) */
  preset: string;
  type: SynthType;
  out: string;
  overrides?: Partial<{
    embd: number;
    layers: number;
    heads: number;
    kvHeads: number;
    ff: number;
    vocab: number;
    ctx: number;
    experts: number;
    expertsUsed: number;
    seed: number;
  }>;
  /** Written as general.name (default: a label saying it is synthetic). */
  name?: string;
}
export interface SynthResult {
  path: string;
  parameterCount: number;
  bytes: number;
}
export async function synthesizeModel(options: SynthOptions): Promise<SynthResult> {
  throw new GgufBenchError("not-implemented", `cannot write ${options.out}: GGUF writer not built yet`);
}
