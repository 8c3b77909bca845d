import assert from "node:assert/strict";
import { test } from "node:test";
import { activeWeightBytesFromInfo } from "../../src/analysis/activeWeightBytes.ts";
import { rooflineFor, rooflineWarnings } from "../../src/analysis/roofline.ts";
import { activeWeightBytesFromTensors } from "../../src/gguf/activeWeightBytes.ts";
import type { ModelInfo } from "../../src/gguf/modelInfo.ts";
import type { InferenceSample, ModelResult, Summary } from "../../src/results/types.ts";

/** 1000 parameters in 2000 bytes (2 bytes each), vocab 10 × embedding 4, KV 8 bytes per token in f16. */
function info(overrides: Partial<ModelInfo> = {}): ModelInfo {
  return {
    file: "/m/tiny.gguf",
    files: ["/m/tiny.gguf"],
    fileBytes: 2100,
    ggufVersion: 3,
    architecture: "llama",
    name: null,
    sizeLabel: null,
    parameterCount: 1000,
    fileType: 1,
    quantization: "F16",
    tensorTypes: { F16: { count: 3, bytes: 2000 } },
    tensorDataBytes: 2000,
    contextLength: 2048,
    embeddingLength: 4,
    blockCount: 1,
    headCount: 1,
    headCountKv: 1,
    headCountKvPerLayer: null,
    headDim: 2,
    valueDim: 2,
    feedForwardLength: 8,
    vocabSize: 10,
    slidingWindow: null,
    rope: { dimensionCount: null, freqBase: null, scalingType: null, scalingFactor: null, originalContextLength: null },
    moe: null,
    kvBytesPerToken: { f16: 8, q8_0: 4.25 },
    ...overrides,
  };
}

function sample(promptTokens: number, outputTokens: number, warmup = false): InferenceSample {
  return {
    promptId: "p",
    run: warmup ? -1 : 0,
    warmup,
    promptTokens,
    promptMs: 1,
    promptTokensPerSecond: 1,
    ttftMs: 1,
    outputTokens,
    generationMs: 1,
    generationTokensPerSecond: 1,
    totalMs: 1,
    peakRssBytes: 1,
  };
}

function summary(mean: number): Summary {
  return { n: 2, mean, sd: 0, min: mean, max: mean, median: mean, ci95Low: mean, ci95High: mean, ciMethod: "t", cv: 0 };
}

function model(modelInfo: ModelInfo, generationMean: number, kvCacheType: "f16" | "q8_0" = "f16"): ModelResult {
  return {
    caseId: "tiny.gguf#1",
    label: "tiny.gguf",
    file: modelInfo.file,
    fileFingerprint: "f",
    synthetic: false,
    info: modelInfo,
    settings: {
      threads: 2,
      batchSize: 512,
      ubatchSize: 512,
      flashAttention: false,
      kvCacheType,
      mmap: true,
      gpuLayers: 0,
      cache: "unknown",
      engine: "node-llama-cpp",
    },
    status: "ok",
    process: { pid: 1, outcome: "ok", exitCode: 0, signal: null, wallMs: 1 },
    load: null,
    inference: {
      contextSize: 1024,
      // Warm-up excluded: its depth (100 + 100/2) must not count. Timed depths: 10 + 20/2 = 20, 20 + 40/2 = 40.
      samples: [sample(100, 100, true), sample(10, 20), sample(20, 40)],
      summaries: {
        totalMs: summary(1),
        ttftMs: summary(1),
        promptTokensPerSecond: summary(1),
        generationTokensPerSecond: summary(generationMean),
        outputTokens: summary(30),
        peakRssBytes: summary(1),
      },
      warnings: [],
      stopping: null,
    },
    contexts: [
      {
        contextSize: 512,
        status: "ok",
        promptTokens: 400,
        outputTokens: 64,
        promptMs: 1,
        generationMs: 1,
        totalMs: 1,
        ttftMs: 1,
        promptTokensPerSecond: 1,
        generationTokensPerSecond: 500,
        afterCreateRssBytes: 1,
        peakRssBytes: 1,
        endRssBytes: 1,
      },
      { contextSize: 4096, status: "skipped", reason: "beyond training context" },
      { contextSize: 1024, status: "error", code: "context-alloc-failed", message: "x" },
    ],
    cleanup: null,
    concurrency: [],
    errors: [],
  };
}

test("weights from info: all parameters but the looked-up embedding rows, at the file's bytes per parameter", () => {
  // (1000 − (10 − 1) × 4) parameters × 2 bytes = 964 × 2
  assert.equal(activeWeightBytesFromInfo(info()), 1928);
});

test("weights from info, MoE: only the active parameters", () => {
  const moe = { expertCount: 8, expertUsedCount: 2, fractionActive: 0.25, activeParameterCount: 400 };
  // (400 − 36) × 1 byte
  assert.equal(activeWeightBytesFromInfo(info({ moe, tensorDataBytes: 1000 })), 364);
});

test("weights per tensor: expert share, embedding row when the output is separate, tied output read whole", () => {
  const moe = { expertCount: 8, expertUsedCount: 2, fractionActive: 0.25, activeParameterCount: 0 };
  const tensors = [
    { name: "token_embd.weight", bytes: 1000 },
    { name: "output.weight", bytes: 1000 },
    { name: "blk.0.attn_q.weight", bytes: 300 },
    { name: "blk.0.ffn_gate_exps.weight", bytes: 800 },
    { name: "blk.0.ffn_up_exps.weight", bytes: 800 },
    { name: "blk.0.ffn_down_shexp.weight", bytes: 100 },
  ];
  // 1000 / 10 + 1000 + 300 + 800 × 0.25 × 2 + 100
  assert.equal(activeWeightBytesFromTensors(tensors, moe, 10), 1900);
  const tied = tensors.filter((t) => t.name !== "output.weight");
  // 1000 + 300 + 400 + 100
  assert.equal(activeWeightBytesFromTensors(tied, moe, 10), 1800);
  // dense: everything, 1000 + 300 + 800 + 800 + 100
  assert.equal(activeWeightBytesFromTensors(tied, null, 10), 3000);
});

test("roofline: one point for inference at the mean timed depth and one per measured context", () => {
  // inference: bytes = 1928 + 8 × mean(20, 40) = 2168; bandwidth 2 168 000 B/s → bound 1000 tokens/s
  const points = rooflineFor(model(info(), 250), 2_168_000);
  assert.equal(points.length, 2);
  assert.deepEqual(points[0], {
    caseId: "tiny.gguf#1",
    contextSize: null,
    bytesPerToken: 2168,
    boundTokensPerSecond: 1000,
    measuredTokensPerSecond: 250,
    fraction: 0.25,
    exceeded: false,
    fitsInCache: false,
  });
  // context 512: bytes = 1928 + 8 × (400 + 64 / 2) = 5384; bound = 2 168 000 / 5384 = 402.674591…
  const context = points[1];
  assert.ok(context);
  assert.equal(context.contextSize, 512);
  assert.equal(context.bytesPerToken, 5384);
  assert.ok(Math.abs(context.boundTokensPerSecond - 402.67459138187223) < 1e-9);
  // 500 / 402.674… = 1.2416974…: above the bound, flagged
  assert.ok(Math.abs(context.fraction - 1.2416974169741697) < 1e-12);
  assert.equal(context.exceeded, true);
});

test("roofline uses the KV type of the case and a per-tensor weight figure when given", () => {
  // bytes = 1000 + 4.25 × 30 = 1127.5; bound = 1 127 500 / 1127.5 = 1000
  const [first] = rooflineFor(model(info(), 100, "q8_0"), 1_127_500, { weightBytesPerToken: 1000 });
  assert.equal(first?.bytesPerToken, 1127.5);
  assert.equal(first?.boundTokensPerSecond, 1000);
  assert.equal(first?.fraction, 0.1);
});

test("a working set that fits in the last-level cache is not flagged", () => {
  const points = rooflineFor(model(info(), 250), 2_168_000, { lastLevelCacheBytes: 32 * 1024 * 1024 });
  assert.equal(points[1]?.fraction !== undefined && points[1].fraction > 1, true);
  assert.equal(points[1]?.exceeded, false);
  assert.equal(points[1]?.fitsInCache, true);
});

test("no points without a bandwidth or a KV size; warnings only for exceeded points", () => {
  assert.deepEqual(rooflineFor(model(info(), 250), 0), []);
  assert.deepEqual(rooflineFor(model(info({ kvBytesPerToken: null }), 250), 1e9), []);
  const warnings = rooflineWarnings(rooflineFor(model(info(), 250), 2_168_000));
  assert.equal(warnings.length, 1);
  assert.equal(warnings[0]?.code, "roofline-exceeded");
  assert.match(
    warnings[0]?.message ?? "",
    /^tiny\.gguf#1 at context 512: 500\.0 tokens\/s is 124% of the memory-bandwidth bound \(402\.7 tokens\/s\)/,
  );
});
