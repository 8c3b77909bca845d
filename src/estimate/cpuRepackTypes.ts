import { readFileSync } from "node:fs";

/**
 * The weight types llama.cpp's CPU backend copies into an interleaved "CPU_REPACK" buffer on this CPU
 * (ggml-cpu/repack.cpp, ggml_repack_get_optimal_repack_type): those weights live in anonymous memory, and with
 * mmap their file pages stay mapped too, so they count twice in RSS. x86: Q4_0, Q4_K and IQ4_NL with AVX2,
 * Q2_K with AVX-512; Arm: Q4_0, Q4_K and IQ4_NL with the dot-product extension.
 */
export function cpuRepackTypes(cpuFlags: readonly string[] = readCpuFlags()): string[] {
  const has = (flag: string) => cpuFlags.includes(flag);
  const types: string[] = [];
  if (has("avx2") || has("asimddp")) types.push("Q4_0", "Q4_K", "IQ4_NL");
  if (has("avx512f")) types.push("Q2_K");
  return types;
}

/** The CPU's feature flags from /proc/cpuinfo (x86 "flags", Arm "Features"); empty where unreadable. */
export function readCpuFlags(): string[] {
  try {
    const text = readFileSync("/proc/cpuinfo", "utf8");
    const line = /^(?:flags|Features)\s*:\s*(.*)$/m.exec(text);
    return line?.[1]?.trim().split(/\s+/) ?? [];
  } catch {
    return [];
  }
}
