import assert from "node:assert/strict";
import { test } from "node:test";
import { deriveModelInfo } from "../../src/gguf/deriveModelInfo.ts";
import { ggmlTypeId } from "../../src/gguf/ggmlTypes.ts";
import type { GgufMetadata, GgufTensorInfo, GgufValue } from "../../src/gguf/ggufValue.ts";
import type { GgufHeader } from "../../src/gguf/readGgufHeader.ts";

const u32 = (value: number): GgufValue => ({ type: "u32", value });
const f32 = (value: number): GgufValue => ({ type: "f32", value });
const str = (value: string): GgufValue => ({ type: "string", value });
const tensor = (name: string, dimensions: number[], type = "F32"): GgufTensorInfo => ({
  name,
  dimensions,
  typeId: ggmlTypeId(type),
  offset: 0,
});

function header(entries: [string, GgufValue][], tensors: GgufTensorInfo[], fileBytes = 1000): GgufHeader {
  const metadata: GgufMetadata = new Map(entries);
  return { version: 3, metadata, tensors, alignment: 32, headerBytes: 100, dataOffset: 128, fileBytes };
}

test("gemma-style: key_length overrides embd/heads, sliding window, rope scaling", () => {
  const info = deriveModelInfo([
    {
      path: "g.gguf",
      header: header(
        [
          ["general.architecture", str("gemma2")],
          ["gemma2.embedding_length", u32(2304)],
          ["gemma2.block_count", u32(26)],
          ["gemma2.attention.head_count", u32(8)],
          ["gemma2.attention.head_count_kv", u32(4)],
          ["gemma2.attention.key_length", u32(256)],
          ["gemma2.attention.value_length", u32(256)],
          ["gemma2.attention.sliding_window", u32(4096)],
          ["gemma2.rope.scaling.type", str("yarn")],
          ["gemma2.rope.scaling.factor", f32(4)],
          ["gemma2.rope.freq_base", f32(10000)],
          ["general.file_type", u32(15)],
        ],
        [tensor("token_embd.weight", [256, 10], "Q4_K"), tensor("output_norm.weight", [256])],
      ),
    },
  ]);
  assert.equal(info.headDim, 256);
  assert.equal(info.valueDim, 256);
  assert.equal(info.slidingWindow, 4096);
  assert.equal(info.quantization, "Q4_K_M");
  assert.deepEqual(info.rope, {
    dimensionCount: null,
    freqBase: 10000,
    scalingType: "yarn",
    scalingFactor: 4,
    originalContextLength: null,
  });
  // gemma 2 alternates sliding-window and global layers (llama.cpp: period 2): the cache that grows with the
  // context is the 13 global layers' — 13 x 4 KV heads x (256 + 256) x 2 bytes; the other 13 keep a window.
  assert.deepEqual(info.kvBytesPerToken, { f16: 53_248, q8_0: 28_288 });
  assert.equal(info.kvCache?.status === "known" && info.kvCache.slidingWindow?.layers, 13);
  assert.deepEqual(info.tensorTypes, { Q4_K: { count: 1, bytes: 144 * 10 }, F32: { count: 1, bytes: 1024 } });
  assert.equal(info.tensorDataBytes, 1440 + 1024);
  assert.equal(info.parameterCount, 2816);
});

test("per-layer KV head arrays are summed over layers; headCountKv is their max", () => {
  const info = deriveModelInfo([
    {
      path: "p.gguf",
      header: header(
        [
          ["general.architecture", str("phi3")],
          ["phi3.embedding_length", u32(64)],
          ["phi3.block_count", u32(3)],
          ["phi3.attention.head_count", u32(8)],
          ["phi3.attention.head_count_kv", { type: "array", itemType: "i32", items: [2, 0, 4] }],
        ],
        [],
      ),
    },
  ]);
  assert.equal(info.headCountKv, 4);
  assert.deepEqual(info.headCountKvPerLayer, [2, 0, 4]);
  assert.equal(info.headDim, 8);
  // (2 + 0 + 4) KV heads x (8 + 8) x 2 bytes
  assert.deepEqual(info.kvBytesPerToken, { f16: 192, q8_0: 102 });
});

test("MoE: active parameters = non-expert + used/count x expert tensors; no file_type -> dominant type", () => {
  const info = deriveModelInfo([
    {
      path: "m.gguf",
      header: header(
        [
          ["general.architecture", str("qwen3moe")],
          ["qwen3moe.expert_count", u32(8)],
          ["qwen3moe.expert_used_count", u32(2)],
        ],
        [
          tensor("token_embd.weight", [32, 100], "Q8_0"),
          tensor("blk.0.ffn_gate_exps.weight", [32, 16, 8], "Q4_0"),
          tensor("blk.0.ffn_down_exps.weight", [32, 16, 8], "Q4_0"),
          tensor("blk.0.ffn_gate_shexp.weight", [32, 16], "Q8_0"),
        ],
      ),
    },
  ]);
  assert.deepEqual(info.moe, {
    expertCount: 8,
    expertUsedCount: 2,
    fractionActive: 0.25,
    activeParameterCount: 3200 + 512 + 0.25 * 8192,
  });
  assert.equal(info.quantization, "Q4_0");
  assert.equal(info.kvBytesPerToken, null);
});

test("unknown architecture and split parts: generic fields, sizes and tensors summed over parts", () => {
  const info = deriveModelInfo([
    {
      path: "x-00001-of-00002.gguf",
      header: header([["general.architecture", str("newarch")]], [tensor("a", [10])], 500),
    },
    { path: "x-00002-of-00002.gguf", header: header([], [tensor("b", [5, 2], "F16")], 700) },
  ]);
  assert.equal(info.architecture, "newarch");
  assert.equal(info.fileBytes, 1200);
  assert.equal(info.parameterCount, 20);
  assert.deepEqual(info.files, ["x-00001-of-00002.gguf", "x-00002-of-00002.gguf"]);
  assert.equal(info.embeddingLength, null);
  assert.equal(info.quantization, "F32");
});
