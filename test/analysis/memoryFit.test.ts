import assert from "node:assert/strict";
import { test } from "node:test";
import { memoryFit, predictedMemoryBytes } from "../../src/analysis/memoryFit.ts";
import { modelWithContexts, okContext } from "./fixtureModel.ts";

test("fits peak RSS over the OK contexts only and compares with the f16 KV slope from metadata", () => {
  const model = modelWithContexts([
    okContext(1024, 1e9 + 40_000 * 1024, 100),
    okContext(2048, 1e9 + 40_000 * 2048, 150),
    { contextSize: 3000, status: "error", code: "context-alloc-failed", message: "no memory" },
    okContext(4096, 1e9 + 40_000 * 4096, 300),
    { contextSize: 8192, status: "skipped", reason: "beyond training context" },
  ]);
  const fit = memoryFit(model);
  assert.equal(fit.kind, "fit");
  if (fit.kind !== "fit") return;
  assert.equal(fit.n, 3);
  assert.equal(Math.round(fit.baseBytes), 1e9);
  assert.ok(Math.abs(fit.slopeBytesPerToken - 40_000) < 1e-6);
  assert.ok(Math.abs(fit.r2 - 1) < 1e-12);
  assert.equal(fit.predictedKvBytesPerToken, 32_768);
  // (40000 − 32768) / 32768 = 0.220703125
  assert.ok(Math.abs((fit.differencePercent ?? 0) - 22.0703125) < 1e-9);
  assert.ok(Math.abs((predictedMemoryBytes(fit, 32_768) ?? 0) - (1e9 + 40_000 * 32_768)) < 1e-3);
});

test("uses the KV slope of the case's cache type", () => {
  const model = modelWithContexts([okContext(1024, 2e9, 1), okContext(2048, 2e9 + 17_408 * 1024, 2)]);
  model.settings.kvCacheType = "q8_0";
  const fit = memoryFit(model);
  assert.equal(fit.kind, "fit");
  if (fit.kind === "fit") {
    assert.equal(fit.predictedKvBytesPerToken, 17_408);
    assert.ok(Math.abs(fit.differencePercent ?? 1) < 1e-9);
  }
});

test("fewer than two OK contexts: no fit, and it says why", () => {
  const fit = memoryFit(
    modelWithContexts([
      okContext(512, 1e9, 1),
      { contextSize: 1024, status: "error", code: "context-alloc-failed", message: "x" },
    ]),
  );
  assert.equal(fit.kind, "none");
  if (fit.kind === "none") {
    assert.equal(fit.n, 1);
    assert.match(fit.reason, /1 context size\(s\) ran OK; a fit needs at least 2/);
  }
  assert.equal(predictedMemoryBytes(fit, 4096), null);
});

test("sliding-window layers: the KV slope predicted over the fitted contexts, as llama.cpp allocates it", () => {
  // gemma3 case shape: 1 global layer (32 elements per token), 5 sliding layers of window 1024 (160 per token)
  const model = modelWithContexts([
    okContext(512, 1e9, 1),
    okContext(1024, 1e9 + 1e6, 1),
    okContext(4096, 1e9 + 2e6, 1),
  ]);
  model.info.contextLength = 32_768;
  model.info.slidingWindow = 1024;
  model.info.kvBytesPerToken = { f16: 64, q8_0: 34 };
  model.info.kvCache = {
    status: "known",
    full: { layers: 1, kElementsPerToken: 16, vElementsPerToken: 16 },
    slidingWindow: { layers: 5, kElementsPerToken: 80, vElementsPerToken: 80, windowTokens: 1024, chunked: false },
    vElementsMaxPerLayer: 16,
    mla: false,
    recurrent: null,
  };
  const fit = memoryFit(model);
  // KV at 512, 1024, 4096 (sliding cache: 512, 1024, then pad256(1024 + 513) = 1792 cells) × 64 / 320 bytes:
  const kv = [512 * 64 + 512 * 320, 1024 * 64 + 1024 * 320, 4096 * 64 + 1792 * 320];
  const xs = [512, 1024, 4096];
  const meanX = (512 + 1024 + 4096) / 3;
  const meanY = kv.reduce((a, b) => a + b) / 3;
  const slope =
    xs.reduce((sum, x, i) => sum + (x - meanX) * ((kv[i] as number) - meanY), 0) /
    xs.reduce((sum, x) => sum + (x - meanX) ** 2, 0);
  assert.ok(Math.abs((fit.predictedKvBytesPerToken ?? 0) - slope) < 1e-9);
  assert.equal(fit.predictedKvUnknownReason, null);
});

test("an unknown KV cache (head count missing) gives no prediction, with the reason — never 0", () => {
  const model = modelWithContexts([okContext(512, 1e9, 1), okContext(1024, 1e9 + 1e6, 1)]);
  model.info.kvBytesPerToken = null;
  model.info.kvCache = { status: "unknown", reason: "llama.attention.head_count is missing" };
  const fit = memoryFit(model);
  assert.equal(fit.predictedKvBytesPerToken, null);
  assert.equal(fit.predictedKvUnknownReason, "llama.attention.head_count is missing");
  assert.equal(fit.kind === "fit" && fit.differencePercent, null);
});
