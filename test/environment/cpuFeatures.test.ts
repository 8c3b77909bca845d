import assert from "node:assert/strict";
import { test } from "node:test";
import { collectEnvironment } from "../../src/environment/collectEnvironment.ts";
import { cpuCaches, cpuinfoField, simdFeatures, sizeBytes } from "../../src/environment/cpuFeatures.ts";

// The flags line of this project's machine (AMD family 26 model 2, a Firecracker VM), abridged.
const EPYC_FLAGS =
  "fpu vme sse sse2 ht pni pclmulqdq ssse3 fma cx16 sse4_1 sse4_2 movbe popcnt aes xsave avx f16c bmi1 avx2 bmi2 avx512f avx512dq avx512ifma avx512cd sha_ni avx512bw avx512vl avx_vnni avx512_bf16 avx512vbmi avx512_vbmi2 gfni vaes avx512_vnni avx512_bitalg avx512_vpopcntdq";
// An Ampere Altra (Neoverse N1) Features line, and a Sapphire Rapids excerpt with AMX.
const ARM_FEATURES =
  "fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp cpuid asimdrdm lrcpc dcpop asimddp ssbs";
const SPR_FLAGS =
  "pni ssse3 sse4_1 sse4_2 avx f16c fma bmi2 avx2 avx512f avx512bw avx512vl avx512_vnni avx512_bf16 avx512_fp16 amx_bf16 amx_tile amx_int8";

test("SIMD features by llama.cpp's names, in a fixed order; nothing else", () => {
  assert.deepEqual(simdFeatures(EPYC_FLAGS), [
    "SSE3",
    "SSSE3",
    "SSE4.1",
    "SSE4.2",
    "AVX",
    "F16C",
    "FMA",
    "BMI2",
    "AVX2",
    "AVX_VNNI",
    "AVX512F",
    "AVX512BW",
    "AVX512VL",
    "AVX512_VBMI",
    "AVX512_VNNI",
    "AVX512_BF16",
  ]);
  assert.deepEqual(simdFeatures(ARM_FEATURES), ["NEON", "FP16", "DOTPROD"]);
  assert.deepEqual(simdFeatures(SPR_FLAGS).slice(-4), ["AVX512_FP16", "AMX_TILE", "AMX_INT8", "AMX_BF16"]);
  assert.deepEqual(simdFeatures(""), []);
});

test("cache sizes from sysfs, one instance per level", () => {
  const caches = cpuCaches(
    [
      { level: "1\n", type: "Data\n", size: "48K\n" },
      { level: "1\n", type: "Instruction\n", size: "32K\n" },
      { level: "2\n", type: "Unified\n", size: "1024K\n" },
      { level: "3\n", type: "Unified\n", size: "32768K\n" },
    ],
    "1024 KB",
    "AMD",
  );
  assert.deepEqual(caches, {
    l1dBytes: 49_152,
    l1iBytes: 32_768,
    l2Bytes: 1_048_576,
    l3Bytes: 33_554_432,
    source: "/sys/devices/system/cpu/cpu0/cache",
  });
});

test("without sysfs: cpuinfo's one figure is the L2 on AMD, the last level on Intel, unknown elsewhere", () => {
  assert.deepEqual(cpuCaches([], "1024 KB", "AMD"), {
    l1dBytes: null,
    l1iBytes: null,
    l2Bytes: 1_048_576,
    l3Bytes: null,
    source: "/proc/cpuinfo cache size (the L2 on AMD; no sysfs cache info)",
  });
  assert.equal(cpuCaches([], "30720 KB", "Intel").l3Bytes, 31_457_280);
  assert.deepEqual(cpuCaches([], null, "ARM"), {
    l1dBytes: null,
    l1iBytes: null,
    l2Bytes: null,
    l3Bytes: null,
    source: "not exposed by this system (no sysfs cache info)",
  });
});

test("sizes and cpuinfo fields", () => {
  assert.equal(sizeBytes("48K"), 49_152);
  assert.equal(sizeBytes("1024 KB"), 1_048_576);
  assert.equal(sizeBytes("2M"), 2_097_152);
  assert.equal(sizeBytes("lots"), null);
  const cpuinfo = "processor\t: 0\ncache size\t: 1024 KB\nflags\t\t: fpu avx2\n\nprocessor\t: 1\ncache size\t: 2 KB\n";
  assert.equal(cpuinfoField(cpuinfo, "cache size"), "1024 KB");
  assert.equal(cpuinfoField(cpuinfo, "flags"), "fpu avx2");
  assert.equal(cpuinfoField(cpuinfo, "Features"), null);
  assert.equal(cpuinfoField(null, "flags"), null);
});

test("this machine's environment records the CPU's identity, features and caches (null + source when unknown)", async () => {
  const { cpu } = await collectEnvironment(null);
  assert.ok(cpu.logicalCores >= 1 && cpu.physicalCores >= 1);
  assert.ok(cpu.caches.source.length > 0);
  if (process.platform === "linux" && process.arch === "x64") {
    assert.ok(cpu.family !== null && cpu.modelNumber !== null, JSON.stringify(cpu));
    assert.ok(cpu.simd.includes("SSE3"), cpu.simd.join(" "));
  }
});
