import { readFileSync } from "node:fs";

/**
 * The weight types llama.cpp's CPU backend copies into an interleaved "CPU_REPACK" buffer on this CPU
 * (ggml-cpu/repack.cpp, ggml_repack_get_optimal_repack_type, node-llama-cpp 3.21.1's llama.cpp): those weights
 * live in anonymous memory, and with mmap their file pages stay mapped too, so they count twice in RSS.
 * x86: Q4_0, Q4_K, IQ4_NL and MXFP4 with AVX2, Q2_K with AVX-512.
 * Arm: Q4_0, Q4_K, Q5_K, Q6_K, Q8_0 with the dot-product or int8 matrix-multiply extension, IQ4_NL and MXFP4 with
 * the dot-product extension.
 */
export function cpuRepackTypes(cpuFlags: readonly string[] = readCpuFlags()): string[] {
  const has = (flag: string) => cpuFlags.includes(flag);
  const types: string[] = [];
  if (has("avx2")) types.push("Q4_0", "Q4_K", "IQ4_NL", "MXFP4");
  if (has("avx512f")) types.push("Q2_K");
  const dotprod = has("asimddp");
  if (dotprod || has("i8mm")) types.push("Q4_0", "Q4_K", "Q5_K", "Q6_K", "Q8_0");
  if (dotprod) types.push("IQ4_NL", "MXFP4");
  return [...new Set(types)];
}

/**
 * Rows a repacked matrix must come in multiples of: the x86 kernels interleave 8 rows; the Arm ones 4 for Q4_0,
 * Q8_0, IQ4_NL and MXFP4, 8 for the K-quants. A matrix whose row count is not a multiple stays as it is.
 */
export function repackRowMultiple(type: string, arch: string = process.arch): number {
  if (arch === "arm64" && ["Q4_0", "Q8_0", "IQ4_NL", "MXFP4"].includes(type)) return 4;
  return 8;
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
