import { readdirSync, readFileSync } from "node:fs";

/**
 * The instruction-set extensions that decide which llama.cpp kernels run (ggml-cpu picks its matmul and
 * repack paths by them), by their Linux /proc/cpuinfo flag names, named the way llama.cpp's system info does.
 * x86: `flags`; Arm: `Features`. Anything else in the flags does not change llama.cpp's speed and is not kept.
 */
const SIMD_FLAGS: [flag: string, name: string][] = [
  ["pni", "SSE3"],
  ["ssse3", "SSSE3"],
  ["sse4_1", "SSE4.1"],
  ["sse4_2", "SSE4.2"],
  ["avx", "AVX"],
  ["f16c", "F16C"],
  ["fma", "FMA"],
  ["bmi2", "BMI2"],
  ["avx2", "AVX2"],
  ["avx_vnni", "AVX_VNNI"],
  ["avx512f", "AVX512F"],
  ["avx512bw", "AVX512BW"],
  ["avx512vl", "AVX512VL"],
  ["avx512vbmi", "AVX512_VBMI"],
  ["avx512_vnni", "AVX512_VNNI"],
  ["avx512_bf16", "AVX512_BF16"],
  ["avx512_fp16", "AVX512_FP16"],
  ["amx_tile", "AMX_TILE"],
  ["amx_int8", "AMX_INT8"],
  ["amx_bf16", "AMX_BF16"],
  ["asimd", "NEON"],
  ["fphp", "FP16"],
  ["asimddp", "DOTPROD"],
  ["i8mm", "MATMUL_INT8"],
  ["bf16", "BF16"],
  ["sve", "SVE"],
  ["sve2", "SVE2"],
  ["sme", "SME"],
];

/** The speed-relevant SIMD features among a CPU's flags (space-separated, as /proc/cpuinfo lists them), in a fixed order. */
export function simdFeatures(flags: string): string[] {
  const present = new Set(flags.toLowerCase().split(/\s+/));
  return SIMD_FLAGS.filter(([flag]) => present.has(flag)).map(([, name]) => name);
}

export interface CpuCaches {
  /** Size of one instance of each cache level, bytes; null when this system does not say. */
  l1dBytes: number | null;
  l1iBytes: number | null;
  l2Bytes: number | null;
  l3Bytes: number | null;
  /** Where the sizes came from, or why they are unknown. */
  source: string;
}

/** One cache of /sys/devices/system/cpu/cpu0/cache/indexN: `level`, `type` (Data, Instruction, Unified), `size` ("48K"). */
export interface SysfsCache {
  level: string;
  type: string;
  size: string;
}

/**
 * Cache sizes per level from sysfs (cpu0's caches, one instance each), else from /proc/cpuinfo's `cache size`:
 * that single figure is the L2 on AMD and the last level on Intel (the kernel fills it so), unknown elsewhere.
 */
export function cpuCaches(sysfs: SysfsCache[], cpuinfoCacheSize: string | null, vendor: string): CpuCaches {
  const caches: CpuCaches = { l1dBytes: null, l1iBytes: null, l2Bytes: null, l3Bytes: null, source: "" };
  for (const cache of sysfs) {
    const bytes = sizeBytes(cache.size);
    if (bytes === null) continue;
    const level = cache.level.trim();
    const type = cache.type.trim();
    if (level === "1" && type === "Data") caches.l1dBytes = bytes;
    else if (level === "1" && type === "Instruction") caches.l1iBytes = bytes;
    else if (level === "2") caches.l2Bytes = bytes;
    else if (level === "3") caches.l3Bytes = bytes;
  }
  if ([caches.l1dBytes, caches.l1iBytes, caches.l2Bytes, caches.l3Bytes].some((b) => b !== null))
    return { ...caches, source: "/sys/devices/system/cpu/cpu0/cache" };
  const single = cpuinfoCacheSize === null ? null : sizeBytes(cpuinfoCacheSize);
  if (single !== null && /amd/i.test(vendor))
    return { ...caches, l2Bytes: single, source: "/proc/cpuinfo cache size (the L2 on AMD; no sysfs cache info)" };
  if (single !== null && /intel/i.test(vendor))
    return {
      ...caches,
      l3Bytes: single,
      source: "/proc/cpuinfo cache size (the last level on Intel; no sysfs cache info)",
    };
  return { ...caches, source: "not exposed by this system (no sysfs cache info)" };
}

/** "48K", "1024 KB", "32768K", "2M" → bytes; null when unreadable. */
export function sizeBytes(text: string): number | null {
  const match = /^\s*(\d+)\s*([KMG]?)i?B?\s*$/i.exec(text);
  if (!match) return null;
  const unit = { "": 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[(match[2] ?? "").toUpperCase()] ?? 1;
  return Number(match[1]) * unit;
}

/** cpu0's caches as sysfs lists them; empty when sysfs has none (many VMs). */
export function readSysfsCaches(): SysfsCache[] {
  const dir = "/sys/devices/system/cpu/cpu0/cache";
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => /^index\d+$/.test(name));
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    try {
      const read = (field: string) => readFileSync(`${dir}/${name}/${field}`, "utf8");
      return [{ level: read("level"), type: read("type"), size: read("size") }];
    } catch {
      return [];
    }
  });
}

/** One field of /proc/cpuinfo's first processor (e.g. "cache size", "flags", "Features"), or null. */
export function cpuinfoField(cpuinfo: string | null, field: string): string | null {
  if (cpuinfo === null) return null;
  const escaped = field.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`^${escaped}\\s*:\\s*(.*)$`, "m").exec(cpuinfo)?.[1]?.trim() ?? null;
}
