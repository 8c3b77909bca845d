import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { groupJob } from "../helpers/groupJob.ts";
import { ofType, runWorker } from "./workerHarness.ts";

const modelPath = fileURLToPath(new URL("../../../shared/models/stories260K.gguf", import.meta.url));

test("in-process concurrency: one sequence per stream, every level measured with percentiles", async (t) => {
  if (!existsSync(modelPath)) return t.skip(`stories260K.gguf not found at ${modelPath}`);
  const job = groupJob(modelPath, {
    runs: 1,
    warmupRuns: 0,
    maxTokens: 12,
    inferenceContextSize: 256,
    concurrency: [1, 3],
    requestsPerLevel: 6,
  });
  const run = await runWorker(job);
  assert.equal(run.exitCode, 0, run.stderr);
  assert.deepEqual(ofType(run, "stage-error"), []);
  const levels = ofType(run, "concurrency").map((m) => m.level);
  assert.deepEqual(
    levels.map((l) => [l.concurrency, l.status]),
    [
      [1, "ok"],
      [3, "ok"],
    ],
  );
  for (const level of levels) {
    if (level.status !== "ok") continue;
    assert.equal(level.requests, 6);
    assert.equal(level.errorCount, 0);
    assert.equal(level.ttftMs.n, 6);
    assert.equal(level.itlMs.n, 6);
    assert.ok(level.ttftMs.p50 <= level.ttftMs.p90 && level.ttftMs.p90 <= level.ttftMs.p99);
    assert.ok(level.e2eMs.min >= level.ttftMs.min);
    // Every request generated its 12 tokens: 6 × 12 tokens over the level's wall time.
    assert.ok(Math.abs((level.outputTokensPerSecond ?? Number.NaN) - (6 * 12 * 1000) / level.durationMs) < 1e-6);
    assert.ok(level.peakRssBytes !== null && level.peakRssBytes > 0);
  }
});
