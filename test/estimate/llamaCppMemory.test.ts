import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { getLlama, type Llama, LlamaLogLevel } from "node-llama-cpp";
import { cpuRepackTypes } from "../../src/estimate/cpuRepackTypes.ts";
import { type EstimateSettings, estimateMemory } from "../../src/estimate/estimateMemory.ts";
import { readEstimateInputs } from "../../src/estimate/readEstimateInputs.ts";
import { synthesizeModel } from "../../src/gguf/synthesize.ts";
import { writeDeepseek2Mla, writeGemma3Swa, writeLlamaWith } from "../helpers/craftedModels.ts";

/**
 * The estimate against llama.cpp's own log lines for models of the shapes in ../shared/cases/ (built here with the
 * project's writer): "llama_kv_cache: size = … MiB (N cells, L layers …)" per cache, "CPU_REPACK model buffer size".
 * llama.cpp prints MiB with two decimals, so sizes agree within 0.005 MiB.
 */
const MiB = 1024 * 1024;
let dir: string;
let llama: Llama;
const logs: string[] = [];
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "gguf-bench-llama-memory-"));
  llama = await getLlama({
    gpu: false,
    build: "never",
    logLevel: LlamaLogLevel.info,
    logger: (_level, message) => logs.push(message),
  });
});
after(async () => {
  await llama.dispose();
  await rm(dir, { recursive: true, force: true });
});

interface KvLine {
  mib: number;
  cells: number;
  layers: number;
}

/** Loads the model, creates one context as the worker does, and returns llama.cpp's figures. */
async function llamaCppFigures(path: string, contextSize: number, settings: EstimateSettings) {
  logs.length = 0;
  const model = await llama.loadModel({ modelPath: path });
  const context = await model.createContext({
    contextSize,
    sequences: 1,
    threads: 1,
    batchSize: settings.batchSize,
    flashAttention: settings.flashAttention,
    failedCreationRemedy: false,
  });
  await context.dispose();
  await model.dispose();
  const kv: KvLine[] = logs.flatMap((line) => {
    const match = /llama_kv_cache: size =\s+([\d.]+) MiB \(\s*(\d+) cells,\s+(\d+) layers/.exec(line);
    return match ? [{ mib: Number(match[1]), cells: Number(match[2]), layers: Number(match[3]) }] : [];
  });
  const repack = logs.map((line) => /CPU_REPACK model buffer size =\s+([\d.]+) MiB/.exec(line)).find(Boolean);
  return { kv, repackMiB: repack ? Number(repack[1]) : 0 };
}

async function ours(path: string, contextSize: number, settings: EstimateSettings) {
  const { info, tensors } = await readEstimateInputs(path);
  const machine = { repackTypes: cpuRepackTypes(), runtimeBaselineBytes: 0 };
  const [estimate] = estimateMemory(info, tensors, [contextSize], settings, machine);
  assert.ok(estimate);
  return estimate;
}

const near = (bytes: number, mib: number, what: string) =>
  assert.ok(Math.abs(bytes / MiB - mib) <= 0.005, `${what}: ours ${(bytes / MiB).toFixed(4)} MiB, llama.cpp ${mib}`);

test("gemma3 with a 1024-token window at context 4096: a 4096-cell global cache and a 1792-cell window cache", async () => {
  const path = await writeGemma3Swa(join(dir, "gemma3.gguf"));
  for (const flashAttention of [false, true]) {
    const settings = { kvCacheType: "f16" as const, flashAttention, batchSize: 512, mmap: true };
    const { kv } = await llamaCppFigures(path, 4096, settings);
    // llama.cpp: 0.25 MiB (4096 cells, 1 layer) + 0.55 MiB (1792 cells, 5 layers)
    assert.deepEqual(
      kv.map((line) => [line.cells, line.layers]),
      [
        [4096, 1],
        [1792, 5],
      ],
    );
    const estimate = await ours(path, 4096, settings);
    assert.equal(estimate.kvCells, 4096);
    assert.equal(estimate.slidingWindowCells, 1792);
    near(
      estimate.kvCacheBytes ?? Number.NaN,
      (kv[0]?.mib ?? 0) + (kv[1]?.mib ?? 0),
      `KV, flash attention ${flashAttention}`,
    );
  }
});

test("deepseek2 with MLA at 1024 cells: only the compressed K cache, 0.16 MiB, flash attention on or off", async () => {
  const path = await writeDeepseek2Mla(join(dir, "deepseek2.gguf"));
  for (const flashAttention of [false, true]) {
    const settings = { kvCacheType: "f16" as const, flashAttention, batchSize: 512, mmap: true };
    const { kv } = await llamaCppFigures(path, 1024, settings);
    assert.equal(kv.length, 1);
    assert.deepEqual([kv[0]?.cells, kv[0]?.layers, kv[0]?.mib], [1024, 2, 0.16]);
    const estimate = await ours(path, 1024, settings);
    assert.equal(estimate.kvCacheBytes, 160 * 1024);
  }
});

test("MXFP4 weights and a tied Q4_0 output are repacked on this CPU as the estimate predicts", async () => {
  const settings = { kvCacheType: "f16" as const, flashAttention: false, batchSize: 512, mmap: true };
  for (const [name, type, tied] of [
    ["mxfp4", "MXFP4", false],
    ["q4_0-tied", "Q4_0", true],
  ] as const) {
    const path = await writeLlamaWith(join(dir, `${name}.gguf`), type, tied);
    const { repackMiB } = await llamaCppFigures(path, 512, settings);
    const estimate = await ours(path, 512, settings);
    if (!cpuRepackTypes().includes(type)) {
      assert.equal(repackMiB, 0, `${type} is not repacked on this CPU, yet llama.cpp made a CPU_REPACK buffer`);
      continue;
    }
    near(estimate.weightsAnonymousBytes, repackMiB, `${name} CPU_REPACK buffer`);
    assert.ok(estimate.weightsAnonymousBytes > 0);
  }
});

test("deepseek2 tiny q4_k_m: the CPU_REPACK buffer holds the 2-D matrices and expert banks, not the 3-D attn_k_b/attn_v_b", async () => {
  const settings = { kvCacheType: "f16" as const, flashAttention: false, batchSize: 512, mmap: true };
  const { path } = await synthesizeModel({
    arch: "deepseek2",
    preset: "tiny",
    type: "q4_k_m",
    out: join(dir, "deepseek2-q4_k_m.gguf"),
  });
  const { repackMiB } = await llamaCppFigures(path, 512, settings);
  const estimate = await ours(path, 512, settings);
  if (!cpuRepackTypes().includes("Q4_K")) {
    assert.equal(repackMiB, 0);
    return;
  }
  // llama.cpp 0.89 MiB; counting the 3-D attn_v_b tensors as repacked gave 0.96 MiB
  near(estimate.weightsAnonymousBytes, repackMiB, "deepseek2 CPU_REPACK buffer");
  assert.ok(repackMiB > 0);
});
