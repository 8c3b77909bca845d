import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { STANDARD_PROMPTS } from "../../src/prompts/standardPrompts.ts";
import type { GroupJob } from "../../src/worker/protocol.ts";
import { groupCase, groupJob } from "../helpers/groupJob.ts";
import { tinyModel } from "../helpers/tinyModel.ts";
import { ofType, runWorker } from "./workerHarness.ts";

// A model from the project's writer with stories260K's shape (test/helpers/tinyModel.ts): the worker's protocol
// needs a model that loads and runs, not trained weights.
let dir: string;
let modelPath: string;
before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "gguf-bench-worker-"));
  modelPath = await tinyModel(dir);
});
after(() => rm(dir, { recursive: true, force: true }));

const baseCase = groupCase();

function tinyJob(overrides: Partial<GroupJob> = {}): GroupJob {
  return groupJob(modelPath, { contexts: [256, 512, 4096], ...overrides });
}

test("worker runs the whole protocol on a tiny model and its messages make sense", async () => {
  const run = await runWorker(tinyJob());
  assert.equal(run.exitCode, 0, run.stderr);
  assert.equal(run.stdout, "", "the worker must not print");
  assert.equal(run.stderr, "", "the worker must not print");
  assert.deepEqual(ofType(run, "stage-error"), []);

  const types = run.messages.map((message) => message.type).filter((type) => type !== "measure" && type !== "stage");
  assert.equal(types[0], "ready");
  assert.equal(types[1], "load");
  assert.equal(types.at(-2), "cleanup");
  assert.equal(types.at(-1), "done");

  const [ready] = ofType(run, "ready");
  assert.equal(ready?.nodeLlamaCpp, "3.21.1");
  assert.equal(ready?.backend, "cpu");
  assert.match(ready?.llamaCppBuild ?? "", /llama\.cpp@/);
  // llama.cpp's own line, e.g. "CPU : SSE3 = 1 | … | AVX2 = 1 | AVX512 = 1 | … | REPACK = 1 |".
  assert.match(ready?.llamaCppSystemInfo ?? "", /^CPU : .*SSE3 = 1/);

  const [loadMessage] = ofType(run, "load");
  const load = loadMessage?.load;
  assert.ok(load);
  assert.ok(load.durationMs > 0 && load.firstDecodeMs > 0);
  assert.equal(load.mmap, true);
  assert.ok(load.before.vmRssBytes > 0);
  assert.ok(load.peakRssBytes >= load.after.vmRssBytes, "the peak is at least the RSS after load");
  assert.equal(load.deviceVramUsedBytes, null);

  const warmUpAt = run.messages.findIndex((m) => m.type === "stage" && m.detail.includes("warm-up"));
  const firstSampleAt = run.messages.findIndex((m) => m.type === "inference-sample");
  assert.ok(warmUpAt > 0 && warmUpAt < firstSampleAt, "the engine is warmed up before the first timed run");

  const samples = ofType(run, "inference-sample");
  // 3 prompts × (1 warm-up + 2 timed runs)
  assert.equal(samples.length, 9);
  for (const prompt of STANDARD_PROMPTS) {
    const runs = samples.filter((s) => s.sample.promptId === prompt.id).map((s) => s.sample.run);
    assert.deepEqual(runs, [-1, 0, 1]);
  }
  for (const { sample, caseIndex, contextSize } of samples) {
    assert.equal(caseIndex, 0);
    assert.equal(contextSize, 512);
    assert.equal(sample.warmup, sample.run === -1);
    assert.ok(sample.promptTokens > 10, "a standard prompt is several dozen tokens");
    assert.equal(sample.outputTokens, 16, "greedy generation runs to maxTokens");
    assert.ok(sample.promptMs > 0 && sample.generationMs > 0);
    assert.ok((sample.promptTokensPerSecond ?? 0) > 0 && (sample.generationTokensPerSecond ?? 0) > 0);
    assert.ok(sample.ttftMs >= sample.promptMs, "time to first token includes the prefill");
    assert.ok(sample.totalMs >= sample.ttftMs + sample.generationMs - 1e-6);
    assert.ok(Math.abs((sample.promptTokensPerSecond ?? 0) - (sample.promptTokens * 1000) / sample.promptMs) < 1e-6);
    assert.ok(Math.abs((sample.generationTokensPerSecond ?? 0) - (15 * 1000) / sample.generationMs) < 1e-6);
    assert.ok((sample.peakRssBytes ?? 0) >= load.after.rssAnonBytes);
  }
  // The same prompt gives the same token count every run: nothing was cached or left in the KV cache.
  const counts = new Set(
    samples.filter((s) => s.sample.promptId === "creative-writing").map((s) => s.sample.promptTokens),
  );
  assert.equal(counts.size, 1);

  const contexts = ofType(run, "context").map((message) => message.context);
  assert.deepEqual(
    contexts.map((c) => [c.contextSize, c.status]),
    [
      [256, "ok"],
      [512, "ok"],
      [4096, "skipped"],
    ],
  );
  for (const context of contexts) {
    if (context.status === "skipped") assert.match(context.reason, /training context of 2048/);
    if (context.status !== "ok") continue;
    assert.equal(context.promptTokens, context.contextSize - 16, "the prompt fills the window minus maxTokens");
    assert.equal(context.outputTokens, 16);
    assert.ok((context.promptTokensPerSecond ?? 0) > 0 && (context.generationTokensPerSecond ?? 0) > 0);
    assert.ok((context.peakRssBytes ?? 0) >= (context.afterCreateRssBytes ?? Number.POSITIVE_INFINITY));
  }

  const [cleanupMessage] = ofType(run, "cleanup");
  const cleanup = cleanupMessage?.cleanup;
  assert.ok(cleanup);
  assert.equal(cleanup.releasedBytes, cleanup.before.vmRssBytes - cleanup.after.vmRssBytes);
  assert.ok(cleanup.releasedFraction >= 0 && cleanup.releasedFraction <= 1);

  // Every measure request was answered before the next stage message, so ids are unique and increasing.
  const ids = ofType(run, "measure").map((m) => m.requestId);
  assert.deepEqual(
    ids,
    [...ids].sort((a, b) => a - b),
  );
  assert.equal(new Set(ids).size, ids.length);
});

test("settings node-llama-cpp cannot apply are reported as setting-unsupported, and the next case still runs", async () => {
  const job = tinyJob({
    cases: [
      { ...baseCase, ubatchSize: 128 },
      { ...baseCase, kvCacheType: "q8_0" },
      // The head size is 8: llama.cpp itself refuses q8_0 blocks of 32 and says why.
      { ...baseCase, kvCacheType: "q8_0", flashAttention: true },
      { ...baseCase, flashAttention: true, mmap: false },
    ],
    mmap: false,
    runs: 1,
    warmupRuns: 0,
    prompts: [STANDARD_PROMPTS[0] ?? assert.fail("no prompts")],
    contexts: [256],
  });
  const run = await runWorker(job);
  assert.equal(run.exitCode, 0, run.stderr);
  const errors = ofType(run, "stage-error");
  assert.deepEqual(
    errors.map((e) => [e.caseIndex, e.error.stage, e.error.code]),
    [
      [0, "inference", "setting-unsupported"],
      [1, "inference", "setting-unsupported"],
      [2, "inference", "setting-unsupported"],
    ],
  );
  assert.match(errors[0]?.error.message ?? "", /micro-batch/);
  assert.match(errors[1]?.error.message ?? "", /flash attention/);
  assert.match(errors[2]?.error.message ?? "", /llama\.cpp: .*q8_0/);
  assert.equal(ofType(run, "load")[0]?.load.mmap, false);
  const contexts = ofType(run, "context");
  assert.deepEqual(
    contexts.map((c) => [c.caseIndex, c.context.status, c.context.status === "error" ? c.context.code : null]),
    [
      [0, "error", "setting-unsupported"],
      [1, "error", "setting-unsupported"],
      [2, "error", "setting-unsupported"],
      [3, "ok", null],
    ],
  );
  const samples = ofType(run, "inference-sample");
  assert.equal(samples.length, 1);
  assert.equal(samples[0]?.caseIndex, 3);
  assert.ok((samples[0]?.sample.generationTokensPerSecond ?? 0) > 0);
  assert.equal(ofType(run, "cleanup").length, 1);
});

test("a file that is not a model ends in a load-failed stage error and done, without printing", async () => {
  const file = path.join(dir, "broken.gguf");
  await writeFile(file, Buffer.from("GGUF this is not a real header"));
  const run = await runWorker(tinyJob({ file }));
  assert.equal(run.exitCode, 0, run.stderr);
  assert.equal(run.stdout + run.stderr, "");
  const errors = ofType(run, "stage-error");
  assert.equal(errors.length, 1);
  assert.equal(errors[0]?.error.stage, "load");
  assert.equal(errors[0]?.error.code, "load-failed");
  assert.ok(!(errors[0]?.error.message ?? "\n").includes("\n"), "one line");
  assert.equal(ofType(run, "load").length, 0);
  assert.equal(ofType(run, "inference-sample").length, 0);
  assert.equal(run.messages.at(-1)?.type, "done");
});

test("a worker whose parent goes away exits instead of running on", async () => {
  // The harness timeout only catches a worker that runs on; under a load average of 30 here, load + warm-up +
  // the first sample took more than 60 s.
  const run = await runWorker(tinyJob({ runs: 50 }), {
    timeoutMs: 600_000,
    onMessage: (message, child) => {
      if (message.type === "inference-sample" && child.connected) child.disconnect();
    },
  });
  assert.equal(run.signal, null, "exited by itself, not killed by the harness timeout");
  assert.equal(run.exitCode, 0);
  assert.equal(ofType(run, "inference-sample").length, 1, "nothing is sent after the disconnect");
  assert.equal(ofType(run, "done").length, 0);
});
