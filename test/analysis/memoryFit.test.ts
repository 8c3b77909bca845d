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
