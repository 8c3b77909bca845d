import assert from "node:assert/strict";
import { test } from "node:test";
import { failureHint } from "../../src/diagnosis/failureHint.ts";
import { llamaReason } from "../../src/diagnosis/llamaReason.ts";

// Error lines exactly as node-llama-cpp 3.21.1 passed them to the logger for the files in ../shared/cases
// (README there): a tensor sized for 4 KV heads with head_count_kv missing, part 2 of a split, a tensor of ggml
// type 4. They are the text the worker sees; the tests beside this one rebuild the files with our writer.
const WRONG_SHAPE = [
  "llama_model_load: error loading model: check_tensor_dims: tensor 'blk.0.attn_k.weight' has wrong shape; expected     64,     64, got     64,     32,      1,      1",
  "llama_model_load_from_file_impl: failed to load model",
];
const SPLIT_PART_2 = [
  "llama_model_load: error loading model: illegal split file idx: 1 (file: /models/split/stories260K-00002-of-00002.gguf), model must be loaded with the first split",
  "llama_model_load_from_file_impl: failed to load model",
];
const TYPE_4 = [
  "gguf_init_from_reader: tensor 'blk.0.attn_q.weight' of type 4 (DEPRECATED) has 64 elements per row, not a multiple of block size (0)",
  "gguf_init_from_reader: failed to read tensor info",
  "gguf_init_from_reader: tensor 'blk.0.attn_q.weight' of type 4 (DEPRECATED) has 64 elements per row, not a multiple of block size (0)",
  "gguf_init_from_reader: failed to read tensor info",
  "llama_model_load: error loading model: llama_model_loader: failed to load model from /models/mxfp4-as-type4-ollama.gguf",
  "llama_model_load_from_file_impl: failed to load model",
];

test("the telling line is kept, its prefix and padding dropped; the generic 'failed to load model' goes", () => {
  assert.deepEqual(llamaReason(WRONG_SHAPE), [
    "check_tensor_dims: tensor 'blk.0.attn_k.weight' has wrong shape; expected 64, 64, got 64, 32, 1, 1",
  ]);
  assert.deepEqual(llamaReason(SPLIT_PART_2), [
    "illegal split file idx: 1 (file: /models/split/stories260K-00002-of-00002.gguf), model must be loaded with the first split",
  ]);
  assert.deepEqual(llamaReason(TYPE_4), [
    "gguf_init_from_reader: tensor 'blk.0.attn_q.weight' of type 4 (DEPRECATED) has 64 elements per row, not a multiple of block size (0)",
  ]);
});

test("only generic lines: the last is kept, so something is always said; nothing in, nothing out", () => {
  assert.deepEqual(llamaReason(["llama_model_load_from_file_impl: failed to load model"]), [
    "llama_model_load_from_file_impl: failed to load model",
  ]);
  assert.deepEqual(llamaReason([]), []);
});

test("a native assert from a crashed child: the build machine's source path is shortened", () => {
  const stderr =
    "/home/runner/work/node-llama-cpp/node-llama-cpp/llama/llama.cpp/src/llama-model-loader.cpp:1321: GGML_ASSERT(t_meta.ne[dim] >= 1) failed";
  assert.deepEqual(llamaReason([stderr]), ["llama-model-loader.cpp:1321: GGML_ASSERT(t_meta.ne[dim] >= 1) failed"]);
});

test("untrusted log text is bounded: at most 4 lines of at most 300 characters", () => {
  const lines = Array.from({ length: 10 }, (_, i) => `error ${i} ${"x".repeat(1000)}`);
  const reason = llamaReason(lines);
  assert.equal(reason.length, 4);
  for (const line of reason) assert.equal(line.length, 300);
});

test("hints for the known causes; none for an unknown one", () => {
  assert.equal(
    failureHint(SPLIT_PART_2[0] as string, "/models/split/stories260K-00002-of-00002.gguf"),
    "this is part 2 of a split model: give its first part (stories260K-00001-of-00002.gguf), which loads the others",
  );
  assert.match(failureHint(WRONG_SHAPE[0] as string) ?? "", /^tensor 'blk\.0\.attn_k\.weight' does not have the shape/);
  assert.match(
    failureHint("llama_model_load: error loading model: unknown model architecture: 'mamba9'") ?? "",
    /does not know the architecture 'mamba9'/,
  );
  assert.match(failureHint(TYPE_4[0] as string) ?? "", /^ggml type 4 is not one this llama.cpp can load/);
  assert.equal(failureHint("llama_model_load_from_file_impl: failed to load model"), null);
});
