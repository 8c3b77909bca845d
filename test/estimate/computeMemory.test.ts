import assert from "node:assert/strict";
import { test } from "node:test";
import { type ComputeShape, computeBufferBytes, workBufferBytes } from "../../src/estimate/computeMemory.ts";
import { paddedContextSize } from "../../src/estimate/paddedContextSize.ts";

const MiB = 1024 * 1024;
/** TinyLlama-1.1B shape (the synthesised "1b" preset). */
const oneB: ComputeShape = {
  embedding: 2048,
  feedForward: 5632,
  heads: 32,
  kvWidth: 4 * 64,
  vocab: 32000,
  expertUsedCount: 0,
  flashAttention: false,
  fullAttention: true,
};

test("context padding follows node-llama-cpp: up to a multiple of 256", () => {
  assert.deepEqual([1, 256, 257, 512, 1000, 4096].map(paddedContextSize), [256, 256, 512, 512, 1024, 4096]);
});

test("1B shape without flash attention: the attention phase at 4096 cells", () => {
  // mask 4096 × 512 × 4 + scores 4096 × 512 × 32 × 4 + 512 × 4 × (5 × 2048 + 2 × 256)
  const bytes = computeBufferBytes(oneB, 4096, 512, 512);
  assert.equal(bytes, 8_388_608 + 268_435_456 + 22_020_096);
  // llama.cpp's own log for this shape said "CPU compute buffer size = 285.01 MiB".
  assert.ok(Math.abs(bytes / MiB - 285.01) < 0.05);
});

test("1B shape with flash attention: the output phase (logits of the whole ubatch) dominates", () => {
  const fa = { ...oneB, flashAttention: true };
  // 4 × (512 × 32000 + 2 × 512 × 2048) = 70.5 MiB — llama.cpp: 70.50 MiB at every context from 512 to 4096
  for (const cells of [512, 1024, 4096]) assert.equal(computeBufferBytes(fa, cells, 512, 512), 73_924_608);
  // a 256-token ubatch: 4 × (256 × 32000 + 2 × 256 × 2048) = 35.25 MiB (llama.cpp: 35.25 MiB)
  assert.equal(computeBufferBytes(fa, 256, 256, 256), 36_962_304);
});

test("MoE: the feed-forward phase counts the experts used", () => {
  const moe: ComputeShape = {
    embedding: 512,
    feedForward: 1536,
    heads: 8,
    kvWidth: 512,
    vocab: 8192,
    expertUsedCount: 2,
    flashAttention: true,
    fullAttention: true,
  };
  // mask 4096 × 512 × 2 + 512 × 4 × (3 × 2 × 1536 + 4 × 512) = 4 MiB + 22 MiB (llama.cpp: 26.01 MiB)
  assert.equal(computeBufferBytes(moe, 4096, 512, 512), 4_194_304 + 23_068_672);
});

test("work buffer: KQ scores as f16 without flash attention, the activations otherwise", () => {
  assert.equal(workBufferBytes(oneB, 4096, 512), 4096 * 512 * 32 * 2);
  assert.equal(workBufferBytes({ ...oneB, flashAttention: true }, 4096, 512), 512 * 5632 * 2);
});
