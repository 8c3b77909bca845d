import assert from "node:assert/strict";
import { test } from "node:test";
import { cpuRepackTypes, repackRowMultiple } from "../../src/estimate/cpuRepackTypes.ts";
import { weightMemory } from "../../src/estimate/weightMemory.ts";

// File order as the synthesiser writes it: embedding, one block, output norm, output.
const tensors = [
  { name: "token_embd.weight", type: "Q4_0", dimensions: [64, 512], bytes: 18_432, offset: 0 },
  { name: "blk.0.attn_norm.weight", type: "F32", dimensions: [64], bytes: 256, offset: 18_432 },
  { name: "blk.0.attn_q.weight", type: "Q4_0", dimensions: [64, 64], bytes: 2_304, offset: 18_688 },
  { name: "blk.0.ffn_down.weight", type: "Q4_0", dimensions: [128, 60], bytes: 4_320, offset: 20_992 },
  { name: "output_norm.weight", type: "F32", dimensions: [64], bytes: 256, offset: 25_312 },
  { name: "output.weight", type: "Q4_0", dimensions: [64, 512], bytes: 18_432, offset: 25_568 },
];

test("repacked on this CPU: 2-D Q4_0 matrices with rows in multiples of 8, never the token embedding", () => {
  const w = weightMemory(tensors, true, ["Q4_0"]);
  // attn_q (64 rows) and output (512 rows) repack; ffn_down has 60 rows, token_embd is looked up
  assert.equal(w.repackedBytes, 2_304 + 18_432);
  assert.equal(w.anonymousBytes, 2_304 + 18_432);
  // mapped span: token_embd at 0 to output_norm's end at 25 568; the repacked output after it is unmapped
  assert.equal(w.fileBackedBytes, 25_568);
  // attn_q's own pages lie inside that span: read while loading, never after
  assert.equal(w.loadOnlyMappedBytes, 2_304);
});

test("nothing repacked: the whole data section stays mapped, nothing anonymous", () => {
  const w = weightMemory(tensors, true, []);
  assert.deepEqual(w, { fileBackedBytes: 44_000, loadOnlyMappedBytes: 0, anonymousBytes: 0, repackedBytes: 0 });
});

test("without mmap every weight is anonymous, once", () => {
  const w = weightMemory(tensors, false, ["Q4_0"]);
  assert.deepEqual(w, { fileBackedBytes: 0, loadOnlyMappedBytes: 0, anonymousBytes: 44_000, repackedBytes: 20_736 });
});

test("which types a CPU repacks, from its feature flags (ggml-cpu repack.cpp)", () => {
  assert.deepEqual(cpuRepackTypes(["sse4_2", "avx2", "avx512f"]), ["Q4_0", "Q4_K", "IQ4_NL", "MXFP4", "Q2_K"]);
  assert.deepEqual(cpuRepackTypes(["sse4_2", "avx2"]), ["Q4_0", "Q4_K", "IQ4_NL", "MXFP4"]);
  assert.deepEqual(cpuRepackTypes(["fp", "asimd", "asimddp"]), [
    "Q4_0",
    "Q4_K",
    "Q5_K",
    "Q6_K",
    "Q8_0",
    "IQ4_NL",
    "MXFP4",
  ]);
  assert.deepEqual(cpuRepackTypes(["fp", "asimd", "i8mm"]), ["Q4_0", "Q4_K", "Q5_K", "Q6_K", "Q8_0"]);
  assert.deepEqual(cpuRepackTypes(["sse4_2"]), []);
});

test("Arm kernels interleave 4 rows for Q4_0, Q8_0, IQ4_NL and MXFP4; x86 and the K-quants 8", () => {
  assert.equal(repackRowMultiple("Q4_0", "arm64"), 4);
  assert.equal(repackRowMultiple("MXFP4", "arm64"), 4);
  assert.equal(repackRowMultiple("Q4_K", "arm64"), 8);
  assert.equal(repackRowMultiple("Q4_0", "x64"), 8);
});

test("MXFP4 matrices are repacked like Q4_0 (expert banks too); 3-D banks count whole", () => {
  const moe = [
    { name: "token_embd.weight", type: "F32", dimensions: [64, 512], bytes: 131_072, offset: 0 },
    { name: "blk.0.ffn_up_exps.weight", type: "MXFP4", dimensions: [64, 128, 4], bytes: 17_408, offset: 131_072 },
    { name: "output.weight", type: "F32", dimensions: [64, 512], bytes: 131_072, offset: 148_480 },
  ];
  const w = weightMemory(moe, true, ["MXFP4"]);
  assert.equal(w.repackedBytes, 17_408);
  assert.equal(w.anonymousBytes, 17_408);
});

test("a tied output (no output.weight) multiplies by a repacked copy of the token embedding", () => {
  const tied = tensors.filter((tensor) => tensor.name !== "output.weight");
  const w = weightMemory(tied, true, ["Q4_0"]);
  // attn_q + the embedding's duplicate; the embedding itself stays mapped for the lookup
  assert.equal(w.repackedBytes, 2_304 + 18_432);
  assert.equal(w.fileBackedBytes, 25_568);
  const noMmap = weightMemory(tied, false, ["Q4_0"]);
  assert.equal(noMmap.anonymousBytes, 25_568 + 18_432);
});

test("a 3-D weight of a plain MUL_MAT (deepseek2's attn_v_b) is not repacked: only expert banks are 3-D there", () => {
  const mla = [
    { name: "blk.0.attn_v_b.weight", type: "Q4_K", dimensions: [256, 64, 4], bytes: 36_864, offset: 0 },
    { name: "blk.0.attn_output.weight", type: "Q4_K", dimensions: [256, 64], bytes: 9_216, offset: 36_864 },
    { name: "blk.0.ffn_down_exps.weight", type: "Q4_K", dimensions: [256, 64, 4], bytes: 36_864, offset: 46_080 },
    // ggml_n_dims ignores trailing 1s: a [256, 64, 1] matrix is 2-D
    { name: "blk.0.attn_k_b.weight", type: "Q4_K", dimensions: [256, 64, 1], bytes: 9_216, offset: 82_944 },
  ];
  const w = weightMemory(mla, true, ["Q4_K"]);
  assert.equal(w.repackedBytes, 9_216 + 36_864 + 9_216);
  // attn_v_b stays mapped, so the span starts at 0 and ends where it does; nothing repacked lies inside it
  assert.equal(w.fileBackedBytes, 36_864);
  assert.equal(w.loadOnlyMappedBytes, 0);
});
