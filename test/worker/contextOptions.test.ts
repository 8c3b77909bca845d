import assert from "node:assert/strict";
import { test } from "node:test";
import type { CaseSettings } from "../../src/results/types.ts";
import { contextOptionsFor } from "../../src/worker/contextOptions.ts";

const settings: CaseSettings = {
  threads: 2,
  batchSize: 256,
  ubatchSize: 256,
  flashAttention: true,
  kvCacheType: "q8_0",
  mmap: true,
  gpuLayers: 0,
  cache: "unknown",
  engine: "node-llama-cpp",
};

test("each context-level setting maps to its node-llama-cpp option", () => {
  assert.deepEqual(contextOptionsFor(settings, 1024), {
    status: "ok",
    options: {
      contextSize: 1024,
      sequences: 1,
      threads: 2,
      batchSize: 256,
      flashAttention: true,
      experimentalKvCacheKeyType: "Q8_0",
      experimentalKvCacheValueType: "Q8_0",
      failedCreationRemedy: false,
    },
  });
  const f16 = contextOptionsFor({ ...settings, flashAttention: false, kvCacheType: "f16" }, 512);
  assert.equal(f16.status, "ok");
  if (f16.status === "ok") {
    assert.equal(f16.options.flashAttention, false);
    assert.equal(f16.options.experimentalKvCacheKeyType, "F16");
    assert.equal(f16.options.experimentalKvCacheValueType, "F16");
  }
});

test("a micro-batch different from the batch cannot be applied by node-llama-cpp 3.21.1", () => {
  const result = contextOptionsFor({ ...settings, ubatchSize: 128 }, 1024);
  assert.equal(result.status, "unsupported");
  if (result.status === "unsupported") assert.match(result.reason, /ubatch 128 with batch 256/);
});

test("a q8_0 KV cache without flash attention is refused before llama.cpp is asked", () => {
  const result = contextOptionsFor({ ...settings, flashAttention: false }, 1024);
  assert.equal(result.status, "unsupported");
  if (result.status === "unsupported") assert.match(result.reason, /flash attention/);
});

test("thread and batch counts must be whole and positive", () => {
  assert.equal(contextOptionsFor({ ...settings, threads: 0 }, 1024).status, "unsupported");
  assert.equal(contextOptionsFor({ ...settings, threads: 1.5 }, 1024).status, "unsupported");
  assert.equal(contextOptionsFor({ ...settings, batchSize: 0, ubatchSize: 0 }, 1024).status, "unsupported");
});
