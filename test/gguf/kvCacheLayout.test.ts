import assert from "node:assert/strict";
import { test } from "node:test";
import type { GgufMetadata, GgufValue } from "../../src/gguf/ggufValue.ts";
import { type KnownKvCacheLayout, kvBytesReadAtDepth, kvCacheBytes, kvCells } from "../../src/gguf/kvCacheBytes.ts";
import { type KvCacheLayout, kvCacheLayout } from "../../src/gguf/kvCacheLayout.ts";

const MiB = 1024 * 1024;
const u32 = (value: number): GgufValue => ({ type: "u32", value });
const arr = (itemType: "i32" | "bool", items: (number | boolean)[]): GgufValue => ({ type: "array", itemType, items });

function layout(arch: string, keys: Record<string, GgufValue | number>): KvCacheLayout {
  const metadata: GgufMetadata = new Map([["general.architecture", { type: "string", value: arch }]]);
  for (const [key, value] of Object.entries(keys))
    metadata.set(`${arch}.${key}`, typeof value === "number" ? u32(value) : value);
  return kvCacheLayout(metadata, arch);
}
function known(l: KvCacheLayout): KnownKvCacheLayout {
  assert.equal(l.status, "known", JSON.stringify(l));
  return l as KnownKvCacheLayout;
}

/** ../shared/cases/gemma3-swa1024.gguf's shape. */
const gemma3 = {
  block_count: 6,
  embedding_length: 64,
  "attention.head_count": 4,
  "attention.head_count_kv": 1,
  "attention.key_length": 16,
  "attention.value_length": 16,
  "attention.sliding_window": 1024,
};

test("gemma3, window 1024: layers 0–4 slide, layer 5 is global; llama.cpp's own figures at context 4096", () => {
  const l = known(layout("gemma3", gemma3));
  assert.deepEqual(l.full, { layers: 1, kElementsPerToken: 16, vElementsPerToken: 16 });
  assert.deepEqual(l.slidingWindow, {
    layers: 5,
    kElementsPerToken: 80,
    vElementsPerToken: 80,
    windowTokens: 1024,
    chunked: false,
  });
  // node-llama-cpp runs a sliding-window model with n_ubatch 512 + 1: the SWA cache is pad256(1024 + 513) cells.
  const cells = kvCells(l, 4096, 513);
  assert.deepEqual(cells, { full: 4096, slidingWindow: 1792 });
  const bytes = kvCacheBytes(l, cells, "f16", false);
  // llama.cpp: "size = 0.25 MiB (4096 cells, 1 layers …)" and "size = 0.55 MiB (1792 cells, 5 layers …)"
  assert.equal(bytes.fullBytes, 0.25 * MiB);
  assert.equal((bytes.slidingWindowBytes / MiB).toFixed(2), "0.55");
  // the old formula counted all 6 layers at 4096 cells: 1.5 MiB, ×1.9 too high
  assert.equal(bytes.totalBytes, 262_144 + 573_440);
  // a context within the window: both caches hold the whole context
  assert.deepEqual(kvCells(l, 512, 513), { full: 512, slidingWindow: 512 });
});

test("gemma3 without a window key keeps a full cache in every layer (llama.cpp: SWA only when the key is > 0)", () => {
  const { "attention.sliding_window": _, ...rest } = gemma3;
  const l = known(layout("gemma3", rest));
  assert.equal(l.slidingWindow, null);
  assert.equal(l.full.layers, 6);
});

test("a scalar sliding_window_pattern is the period; gpt-oss alternates (period 2), gemma2 defaults to 4096", () => {
  const l = known(layout("gemma3", { ...gemma3, "attention.sliding_window_pattern": 3 }));
  // period 3: layers 0,1 slide, 2 global, 3,4 slide, 5 global
  assert.equal(l.full.layers, 2);
  const oss = known(
    layout("gpt-oss", { ...gemma3, block_count: 24, "attention.head_count_kv": 8, "attention.sliding_window": 128 }),
  );
  assert.equal(oss.full.layers, 12);
  assert.equal(oss.slidingWindow?.layers, 12);
  assert.equal(oss.slidingWindow?.windowTokens, 128);
  // gpt-oss-20b shape at 32K context: 12 global layers × 8 × 64 × 2 × 2 bytes per token ≈ 0.75 GiB, the 12 window
  // layers ≈ 19 MiB; the old count of 24 full layers was ×2
  const big = known(
    layout("gpt-oss", {
      block_count: 24,
      embedding_length: 2880,
      "attention.head_count": 64,
      "attention.head_count_kv": 8,
      "attention.key_length": 64,
      "attention.value_length": 64,
      "attention.sliding_window": 128,
    }),
  );
  const at32k = kvCacheBytes(big, kvCells(big, 32_768, 513), "f16", true);
  assert.equal(at32k.fullBytes, 12 * 8 * 128 * 2 * 32_768);
  assert.equal(at32k.slidingWindowBytes, 12 * 8 * 128 * 2 * 768);
  const g2 = known(layout("gemma2", { ...gemma3, "attention.sliding_window": u32(0) }));
  assert.equal(g2.slidingWindow?.windowTokens, 0);
  const { "attention.sliding_window": _, ...noWindow } = gemma3;
  assert.equal(known(layout("gemma2", noWindow)).slidingWindow?.windowTokens, 4096);
});

test("architectures llama.cpp runs without sliding windows ignore the key (phi3, mistral in llama, qwen2)", () => {
  for (const arch of ["phi3", "llama", "qwen2"]) {
    const l = known(layout(arch, gemma3));
    assert.equal(l.slidingWindow, null, arch);
    assert.equal(l.full.layers, 6, arch);
  }
});

test("llama4: chunked attention of 8192 tokens in 3 of every 4 layers unless the key says 0", () => {
  const l = known(layout("llama4", { ...gemma3, block_count: 8, "attention.sliding_window": 0 }));
  assert.equal(l.slidingWindow, null);
  const chunked = known(layout("llama4", { ...gemma3, block_count: 8 }));
  assert.deepEqual(
    [chunked.full.layers, chunked.slidingWindow?.windowTokens, chunked.slidingWindow?.chunked],
    [2, 8192, true],
  );
});

test("gemma4: per-layer pattern, its own head size for sliding layers, shared KV layers, V padded without flash attention", () => {
  const l = known(
    layout("gemma4", {
      block_count: 6,
      embedding_length: 128,
      "attention.head_count": 8,
      "attention.head_count_kv": arr("i32", [2, 2, 1, 2, 2, 1]),
      "attention.key_length": 64,
      "attention.value_length": 64,
      "attention.key_length_swa": 32,
      "attention.value_length_swa": 32,
      "attention.sliding_window": 512,
      "attention.sliding_window_pattern": arr("bool", [true, true, false, true, true, false]),
      "attention.shared_kv_layers": 2,
    }),
  );
  // layers 4 and 5 reuse earlier caches: own caches in 0,1 (sliding), 2 (global), 3 (sliding)
  assert.deepEqual(l.full, { layers: 1, kElementsPerToken: 64, vElementsPerToken: 64 });
  assert.deepEqual(l.slidingWindow && [l.slidingWindow.layers, l.slidingWindow.kElementsPerToken], [3, 192]);
  // widest V row: the global layers' 1 × 64 versus the sliding layers' 2 × 32 — both 64
  assert.equal(l.vElementsMaxPerLayer, 64);
  const cells = { full: 1024, slidingWindow: 768 };
  assert.equal(kvCacheBytes(l, cells, "f16", true).slidingWindowBytes, 768 * (192 + 192) * 2);
});

test("V rows are padded to the widest layer without flash attention (llama.cpp TAG_V_CACHE_VARIABLE)", () => {
  const l = known(
    layout("llama", {
      block_count: 3,
      embedding_length: 64,
      "attention.head_count": 8,
      "attention.head_count_kv": arr("i32", [2, 1, 4]),
    }),
  );
  const cells = { full: 256, slidingWindow: 0 };
  // flash attention: K and V (2 + 1 + 4) × 8 each; without: V is 3 layers × 32
  assert.equal(kvCacheBytes(l, cells, "f16", true).totalBytes, 256 * (56 + 56) * 2);
  assert.equal(kvCacheBytes(l, cells, "f16", false).totalBytes, 256 * (56 + 96) * 2);
});

test("deepseek2 with MLA: only the compressed K cache, 160 B per token for the case file's 2 layers", () => {
  const l = known(
    layout("deepseek2", {
      block_count: 2,
      embedding_length: 64,
      "attention.head_count": 4,
      "attention.head_count_kv": 1,
      "attention.key_length": 40,
      "attention.value_length": 32,
      "attention.key_length_mla": 24,
      "attention.value_length_mla": 16,
      "attention.kv_lora_rank": 32,
    }),
  );
  assert.equal(l.mla, true);
  assert.deepEqual(l.full, { layers: 2, kElementsPerToken: 80, vElementsPerToken: 0 });
  // llama.cpp: "size = 0.16 MiB (1024 cells, 2 layers …), K (f16): 0.16 MiB, V (f16): 0.00 MiB" — FA on or off
  for (const fa of [true, false]) {
    assert.equal(kvCacheBytes(l, { full: 1024, slidingWindow: 0 }, "f16", fa).totalBytes, 160 * 1024);
  }
});

test("a missing head count makes the cache unknown, with the reason (never 0)", () => {
  const l = layout("llama", { block_count: 5, embedding_length: 64 });
  assert.equal(l.status, "unknown");
  assert.match((l as { reason: string }).reason, /llama\.attention\.head_count is missing/);
  const wrongLength = layout("llama", { ...gemma3, "attention.head_count_kv": arr("i32", [1, 1]) });
  assert.match((wrongLength as { reason: string }).reason, /2 entries for 6 layers/);
  assert.equal(layout("gemma4", gemma3).status, "unknown"); // no per-layer pattern: llama.cpp refuses
});

test("recurrent models keep a fixed state: mamba (all layers), jamba (where no KV heads), qwen3next (3 in 4)", () => {
  const mamba = known(
    layout("mamba", {
      block_count: 4,
      embedding_length: 768,
      "attention.head_count": 0,
      "ssm.conv_kernel": 4,
      "ssm.inner_size": 1536,
      "ssm.state_size": 16,
    }),
  );
  // per layer (d_conv − 1) × d_inner + d_state × d_inner f32 values: (3 × 1536 + 16 × 1536) × 4 bytes
  assert.deepEqual(mamba.recurrent, { layers: 4, stateBytes: 4 * (3 * 1536 + 16 * 1536) * 4 });
  assert.equal(mamba.full.kElementsPerToken, 0);
  const jamba = known(
    layout("jamba", {
      block_count: 4,
      embedding_length: 64,
      "attention.head_count": 8,
      "attention.head_count_kv": arr("i32", [0, 0, 0, 2]),
      "ssm.conv_kernel": 4,
      "ssm.inner_size": 128,
      "ssm.state_size": 16,
    }),
  );
  assert.deepEqual([jamba.full.layers, jamba.full.kElementsPerToken, jamba.recurrent?.layers], [1, 16, 3]);
  const next = known(
    layout("qwen3next", {
      block_count: 8,
      embedding_length: 64,
      "attention.head_count": 8,
      "attention.head_count_kv": 2,
      "ssm.conv_kernel": 4,
      "ssm.inner_size": 128,
      "ssm.state_size": 32,
      "ssm.group_count": 4,
    }),
  );
  // every 4th layer attends; the others are linear-attention layers: conv 3 × (128 + 2 × 4 × 32) + 32 × 128
  assert.deepEqual([next.full.layers, next.recurrent?.layers], [2, 6]);
  assert.equal(next.recurrent?.stateBytes, 6 * (3 * (128 + 256) + 32 * 128) * 4);
  const rwkv = known(layout("rwkv6", { block_count: 2, embedding_length: 64, "wkv.head_size": 16 }));
  assert.equal(rwkv.recurrent?.stateBytes, 2 * (2 * 64 + 64 * 16) * 4);
});

test("encoders keep no cache; architectures with indexer caches are not modelled and say so", () => {
  const bert = known(layout("bert", gemma3));
  assert.deepEqual([bert.full.layers, bert.slidingWindow, bert.recurrent], [0, null, null]);
  assert.equal(layout("deepseek32", gemma3).status, "unknown");
});

test("a decode at depth d reads every global cell and the sliding layers' last window", () => {
  const l = known(layout("gemma3", gemma3));
  assert.equal(kvBytesReadAtDepth(l, 100, "f16"), 100 * (32 + 160) * 2);
  assert.equal(kvBytesReadAtDepth(l, 4000, "f16"), 4000 * 32 * 2 + 1024 * 160 * 2);
});

test("a header that contradicts its K tensors (head_count_kv removed: it defaults to head_count) is unknown", () => {
  const metadata: GgufMetadata = new Map([
    ["llama.block_count", u32(2)],
    ["llama.embedding_length", u32(64)],
    ["llama.attention.head_count", u32(8)],
  ]);
  // tensors sized for 4 KV heads of 8: 32 outputs; the header now implies 8 × 8 = 64 (llama.cpp: "wrong shape")
  const rows = new Map([
    ["blk.0.attn_k.weight", 32],
    ["blk.1.attn_k.weight", 32],
  ]);
  const l = kvCacheLayout(metadata, "llama", rows);
  assert.equal(l.status, "unknown");
  assert.match(
    (l as { reason: string }).reason,
    /blk\.0\.attn_k\.weight has 32 outputs but the header implies 8 KV heads × 8 = 64/,
  );
  metadata.set("llama.attention.head_count_kv", u32(4));
  assert.equal(kvCacheLayout(metadata, "llama", rows).status, "known");
});
