import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { compareWithMeasured } from "../../src/estimate/compareWithMeasured.ts";
import {
  allocatorRetentionBound,
  estimateMemory,
  GLIBC_MMAP_THRESHOLD_MAX_BYTES,
  type MemoryEstimate,
  MODEL_OVERHEAD_FIXED_BYTES,
  MODEL_OVERHEAD_PER_MERGE_BYTES,
  MODEL_OVERHEAD_PER_VOCAB_TOKEN_BYTES,
  modelBookkeepingBytes,
} from "../../src/estimate/estimateMemory.ts";
import { readEstimateInputs } from "../../src/estimate/readEstimateInputs.ts";
import { fitOf } from "../../src/estimate/runEstimate.ts";
import { synthesizeModel, synthModelHeader } from "../../src/gguf/synthesize.ts";
import { seededWeights } from "../../src/gguf/weightPattern.ts";
import { writeGgufFile } from "../../src/gguf/writeGgufFile.ts";
import { buildModel, okContext } from "../helpers/resultsBuilder.ts";
import { needsRealModel, tinyModel } from "../helpers/tinyModel.ts";

const MiB = 1024 * 1024;
const stories = fileURLToPath(new URL("../../../shared/models/stories260K.gguf", import.meta.url));
const machine = { repackTypes: [] as string[], runtimeBaselineBytes: 100 * MiB };
let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "gguf-bench-estimate-memory-"));
});
after(() => rm(dir, { recursive: true, force: true }));
const noFa = { kvCacheType: "f16" as const, flashAttention: false, batchSize: 512, mmap: true };

function parts(e: MemoryEstimate): number {
  return (
    e.runtimeBaselineBytes +
    e.weightsFileBackedBytes +
    e.weightsAnonymousBytes +
    e.modelOverheadBytes +
    (e.kvCacheBytes ?? Number.NaN) +
    (e.computeResidentBytes ?? Number.NaN) +
    e.contextOverheadBytes
  );
}

test("stories260K: weights, KV cache and compute buffer match what llama.cpp reports for it", async (t) => {
  if (!existsSync(stories)) return t.skip(needsRealModel(stories, "compares with llama.cpp's own buffer sizes for it"));
  const { info, tensors } = await readEstimateInputs(stories);
  const [c512, c1000, c2048] = estimateMemory(info, tensors, [512, 1000, 2048], noFa, machine);
  assert.ok(c512 && c1000 && c2048);
  // llama.cpp: "CPU_Mapped model buffer size = 1.12 MiB"
  assert.ok(Math.abs(c512.weightsFileBackedBytes / MiB - 1.12) < 0.01);
  assert.equal(c512.weightsAnonymousBytes, 0);
  // 5 layers × 4 KV heads × (8 + 8) dims × 2 bytes × 512 cells = 327 680 (llama.cpp: "KV buffer size = 0.31 MiB")
  assert.equal(c512.kvCacheBytes, 327_680);
  // 1000 tokens are 1024 cells
  assert.equal(c1000.kvCells, 1024);
  assert.equal(c1000.kvCacheBytes, 655_360);
  // llama.cpp: "CPU compute buffer size" 9.76 MiB at 512, 36.76 MiB at 2048 (no flash attention)
  assert.ok(Math.abs((c512.computeReservedBytes ?? 0) / MiB - 9.76) < 0.02);
  assert.ok(Math.abs((c2048.computeReservedBytes ?? 0) / MiB - 36.76) < 0.02);
  const [fa1024] = estimateMemory(info, tensors, [1024], { ...noFa, flashAttention: true }, machine);
  // llama.cpp: 2.52 MiB with flash attention at 1024
  assert.ok(Math.abs((fa1024?.computeReservedBytes ?? 0) / MiB - 2.52) < 0.02);
  for (const e of [c512, c1000, c2048]) assert.equal(e.totalBytes, parts(e));
});

test("a shorter prompt touches less of the compute buffer; without mmap the weights are anonymous", async () => {
  const { info, tensors } = await readEstimateInputs(await tinyModel(dir));
  const [full] = estimateMemory(info, tensors, [2048], noFa, machine);
  const [short] = estimateMemory(info, tensors, [2048], noFa, machine, () => 100);
  assert.ok(full && short);
  assert.equal(full.computeReservedBytes, short.computeReservedBytes);
  assert.ok((short.computeResidentBytes ?? Number.NaN) < (full.computeResidentBytes ?? Number.NaN));
  const [noMmap] = estimateMemory(info, tensors, [512], { ...noFa, mmap: false }, machine);
  assert.equal(noMmap?.weightsFileBackedBytes, 0);
  assert.equal(noMmap?.weightsAnonymousBytes, info.tensorDataBytes);
});

test("comparison with a measured case uses its baseline and prompt, and reports the error in percent", async () => {
  const { info, tensors } = await readEstimateInputs(await tinyModel(dir));
  const model = buildModel({ label: "tiny.gguf", contexts: [okContext(512, 500), okContext(1024, 400)] });
  const rows = compareWithMeasured(info, tensors, model, []);
  assert.equal(rows.length, 2);
  // okContext's prompt is 32 tokens and the fixture's pre-load RSS 40e6 bytes
  const expected = estimateMemory(
    info,
    tensors,
    [512, 1024],
    noFa,
    { repackTypes: [], runtimeBaselineBytes: 40e6 },
    () => 32,
  );
  for (const [i, row] of rows.entries()) {
    assert.equal(row.predictedBytes, expected[i]?.totalBytes);
    assert.equal(row.measuredPeakRssBytes, 46e6 + row.contextSize * 1000);
    assert.equal(row.errorPercent, ((row.predictedBytes - row.measuredPeakRssBytes) / row.measuredPeakRssBytes) * 100);
  }
});

test("glibc's possible retention: the work buffers a long prompt outgrew, up to 32 MiB each; none with flash attention", async () => {
  assert.equal(allocatorRetentionBound([4 * MiB, 8 * MiB, 40 * MiB, 32 * MiB]), 44 * MiB);
  assert.equal(allocatorRetentionBound([]), 0);
  const { info, tensors } = await readEstimateInputs(await tinyModel(dir));
  const [c512, c2048, c4096] = estimateMemory(info, tensors, [512, 2048, 4096], noFa, machine);
  assert.ok(c512 && c2048 && c4096);
  // One ubatch never replaces its work buffer; each further ubatch attends to 512 more cells and needs a larger one.
  assert.equal(c512.allocatorRetentionBytes, 0);
  assert.ok(c2048.allocatorRetentionBytes > 0);
  assert.ok(c4096.allocatorRetentionBytes > c2048.allocatorRetentionBytes);
  // Freed buffers are smaller than the last one, which is part of the prediction: 7 freed of 8 at 4,096 tokens.
  const lastWork = c4096.allocatorRetentionBytes / 7;
  assert.ok(lastWork < GLIBC_MMAP_THRESHOLD_MAX_BYTES);
  for (const e of [c512, c2048, c4096]) assert.equal(e.totalBytes, parts(e));
  const fa = estimateMemory(info, tensors, [512, 2048, 4096], { ...noFa, flashAttention: true }, machine);
  for (const e of fa) assert.equal(e.allocatorRetentionBytes, 0);
});

test("the error beyond glibc's retention is 0 between the prediction and its bound, the distance outside", async () => {
  const { info, tensors } = await readEstimateInputs(await tinyModel(dir));
  const [estimate] = estimateMemory(info, tensors, [4096], noFa, { repackTypes: [], runtimeBaselineBytes: 40e6 });
  assert.ok(estimate?.totalBytes);
  const predicted = estimate.totalBytes;
  const bound = estimate.allocatorRetentionBytes;
  const cases = [
    { peak: predicted + bound / 2, beyond: 0 },
    { peak: predicted + bound + 1e6, beyond: (-1e6 / (predicted + bound + 1e6)) * 100 },
    { peak: predicted - 2e6, beyond: (2e6 / (predicted - 2e6)) * 100 },
  ];
  for (const { peak, beyond } of cases) {
    const context = { ...okContext(4096, 10), peakRssBytes: peak, promptTokens: 4096 };
    const model = buildModel({ label: "tiny.gguf", contexts: [context] });
    const [row] = compareWithMeasured(info, tensors, model, []);
    assert.ok(row);
    assert.equal(row.allocatorRetentionBytes, bound);
    assert.ok(
      Math.abs(row.errorBeyondRetentionPercent - beyond) < 1e-9,
      `${row.errorBeyondRetentionPercent} vs ${beyond}`,
    );
  }
});

test("repacked weights inside the mapped span: their file pages count in the peak, not in what must stay", async () => {
  const { path } = await synthesizeModel({
    arch: "qwen3moe",
    preset: "tiny",
    type: "q4_k_m",
    out: join(dir, "qwen3moe.gguf"),
  });
  const { info, tensors } = await readEstimateInputs(path);
  const [none] = estimateMemory(info, tensors, [512], noFa, machine);
  const [repacking] = estimateMemory(info, tensors, [512], noFa, { ...machine, repackTypes: ["Q4_K"] });
  assert.ok(none?.totalBytes && repacking?.totalBytes && repacking.requiredBytes);
  assert.equal(none.weightsLoadOnlyMappedBytes, 0);
  assert.equal(none.requiredBytes, none.totalBytes);
  // Q4_K matrices between mapped tensors stay in the mapping after loading, but only loading reads them.
  const repackedInside = tensors
    .filter((t) => t.type === "Q4_K" && t.name !== "token_embd.weight")
    .reduce((sum, t) => sum + t.bytes, 0);
  assert.ok(repacking.weightsLoadOnlyMappedBytes > 0);
  assert.ok(repacking.weightsLoadOnlyMappedBytes <= repackedInside);
  assert.ok(repacking.weightsLoadOnlyMappedBytes <= repacking.weightsFileBackedBytes);
  assert.equal(repacking.totalBytes, parts(repacking));
  assert.equal(repacking.requiredBytes, repacking.totalBytes - repacking.weightsLoadOnlyMappedBytes);
  // Fits is judged on what must stay: available memory between the two is enough.
  const between = (repacking.requiredBytes + repacking.totalBytes) / 2 / 0.9;
  assert.equal(fitOf(repacking.requiredBytes, between), "fits");
  assert.equal(fitOf(repacking.totalBytes, between), "tight");
  const [noMmap] = estimateMemory(
    info,
    tensors,
    [512],
    { ...noFa, mmap: false },
    { ...machine, repackTypes: ["Q4_K"] },
  );
  assert.equal(noMmap?.weightsLoadOnlyMappedBytes, 0);
  assert.equal(noMmap?.requiredBytes, noMmap?.totalBytes);
});

test("fit: yes up to 90% of what is available, tight above, no beyond", () => {
  assert.equal(fitOf(900, 1000), "fits");
  assert.equal(fitOf(901, 1000), "tight");
  assert.equal(fitOf(1000, 1000), "tight");
  assert.equal(fitOf(1001, 1000), "does-not-fit");
});

test("a BPE tokenizer's merges: read from the header, counted in the model's bookkeeping at 0.46 KiB each", async () => {
  const { shape, metadata, tensors, alignment } = synthModelHeader({ arch: "llama", preset: "tiny", type: "q8_0" });
  const plain = join(dir, "spm.gguf");
  const bpe = join(dir, "bpe.gguf");
  const weights = seededWeights(shape.seed, 1 / Math.sqrt(shape.embd));
  await writeGgufFile(plain, metadata, tensors, alignment, weights);
  const merges = Array.from({ length: 3000 }, (_, i) => `a${i} b`);
  metadata.set("tokenizer.ggml.model", { type: "string", value: "gpt2" });
  metadata.set("tokenizer.ggml.merges", { type: "array", itemType: "string", items: merges });
  await writeGgufFile(bpe, metadata, tensors, alignment, weights);
  const [withoutMerges, withMerges] = await Promise.all([readEstimateInputs(plain), readEstimateInputs(bpe)]);
  assert.deepEqual(withoutMerges.info.tokenizer, { model: "llama", tokenCount: shape.vocab, mergeCount: 0 });
  assert.deepEqual(withMerges.info.tokenizer, { model: "gpt2", tokenCount: shape.vocab, mergeCount: 3000 });
  const [a] = estimateMemory(withoutMerges.info, withoutMerges.tensors, [512], noFa, machine);
  const [b] = estimateMemory(withMerges.info, withMerges.tensors, [512], noFa, machine);
  assert.equal(a?.modelOverheadBytes, modelBookkeepingBytes(withoutMerges.info));
  assert.equal(
    a?.modelOverheadBytes,
    Math.round(MODEL_OVERHEAD_FIXED_BYTES + MODEL_OVERHEAD_PER_VOCAB_TOKEN_BYTES * shape.vocab),
  );
  const mergeBytes = (b?.modelOverheadBytes ?? 0) - (a?.modelOverheadBytes ?? 0);
  assert.ok(Math.abs(mergeBytes - 3000 * MODEL_OVERHEAD_PER_MERGE_BYTES) <= 1, `${mergeBytes}`);
  assert.equal(MODEL_OVERHEAD_PER_MERGE_BYTES, 0.46 * 1024);
  assert.ok(Number.isInteger(a?.modelOverheadBytes) && Number.isInteger(b?.modelOverheadBytes));
  // Results written before the tokenizer was recorded: the vocabulary size stands in for the token count.
  const { tokenizer: _, ...older } = withMerges.info;
  assert.equal(modelBookkeepingBytes(older), a?.modelOverheadBytes);
});

test("a header without a head count: compute unknown (null), like the KV cache and the total, never sized for 0 heads", async () => {
  const file = fileURLToPath(new URL("../../../shared/cases/no-head-count-stories260K.gguf", import.meta.url));
  const { shape, metadata, tensors, alignment } = synthModelHeader({ arch: "llama", preset: "tiny", type: "q8_0" });
  metadata.delete("llama.attention.head_count");
  const own = join(dir, "no-heads.gguf");
  await writeGgufFile(own, metadata, tensors, alignment, seededWeights(shape.seed, 1 / Math.sqrt(shape.embd)));
  for (const path of existsSync(file) ? [own, file] : [own]) {
    const { info, tensors: read } = await readEstimateInputs(path);
    assert.equal(info.headCount, null);
    const [e] = estimateMemory(info, read, [512], noFa, machine);
    assert.equal(e?.computeReservedBytes, null, path);
    assert.equal(e?.computeResidentBytes, null);
    assert.equal(e?.kvCacheBytes, null);
    assert.equal(e?.totalBytes, null);
  }
});
