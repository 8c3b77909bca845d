import assert from "node:assert/strict";
import { test } from "node:test";
import { memoryFit } from "../../src/analysis/memoryFit.ts";
import { HIGH_CV_THRESHOLD, observations } from "../../src/analysis/observations.ts";
import { timePerDoubling } from "../../src/analysis/timePerDoubling.ts";
import { modelWithContexts, okContext } from "./fixtureModel.ts";

const GIB = 1024 ** 3;

test("each rule fires from its numbers", () => {
  // 1 GiB base + 32 KiB/token over 1K, 2K, 4K: slope exactly the f16 KV prediction (32,768 bytes/token).
  const model = modelWithContexts([
    okContext(1024, GIB + 32_768 * 1024, 100),
    okContext(2048, GIB + 32_768 * 2048, 200),
    okContext(4096, GIB + 32_768 * 4096, 400),
    { contextSize: 8192, status: "skipped", reason: "beyond the training context" },
  ]);
  assert.ok(model.load && model.cleanup && model.inference);
  model.load.durationMs = 200;
  model.load.firstDecodeMs = 1500;
  model.cleanup.releasedFraction = 0.75;
  model.cleanup.releasedBytes = 300 * 1024 ** 2;
  model.inference.summaries.generationTokensPerSecond.cv = 0.25;
  model.inference.summaries.totalMs.cv = HIGH_CV_THRESHOLD; // at the threshold: not noisy
  const fit = memoryFit(model);
  const lines = observations(model, fit, timePerDoubling(model), [
    {
      caseId: model.caseId,
      contextSize: null,
      bytesPerToken: 1,
      boundTokensPerSecond: 10,
      measuredTokensPerSecond: 12,
      fraction: 1.2,
      exceeded: true,
      fitsInCache: false,
    },
  ]);
  assert.ok(
    lines.includes(
      "Memory grows linearly with context: slope 0.0313 GiB/1K over a base of 1.00 GiB, R² 1.0000, 3 points.",
    ),
  );
  assert.ok(
    lines.includes("Fitted slope is 0.0% above the KV-cache slope predicted from metadata (0.0313 GiB/1K, f16)."),
  );
  assert.ok(lines.includes("Total time grows ×2.00 per context doubling (geometric mean over 2 step(s))."));
  assert.ok(lines.includes("First decode took 1,500 ms after a 200 ms load: mmap defers page faults to first use."));
  assert.ok(lines.includes("Cleanup returned 75.0% of the memory taken by load and inference (300.0 MiB)."));
  assert.ok(lines.includes("CV 25.0% for generation tokens/s: results noisy (threshold 10%)."));
  assert.ok(!lines.some((l) => l.includes("for total time")));
  assert.ok(lines.includes("3 of 4 context sizes ran OK; 0 failed, 1 skipped."));
  assert.ok(lines.includes("1 roofline point(s) exceed 100% of the bandwidth bound: a measurement error."));
});

test("no load, no inference, no contexts: only the no-fit rule speaks", () => {
  const model = modelWithContexts([]);
  model.load = null;
  model.inference = null;
  model.cleanup = null;
  const lines = observations(model, memoryFit(model), timePerDoubling(model), []);
  assert.deepEqual(lines, ["No memory fit: 0 context size(s) ran OK; a fit needs at least 2."]);
});
