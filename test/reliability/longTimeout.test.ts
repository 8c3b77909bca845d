import assert from "node:assert/strict";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { caseDeadline } from "../../src/engines/caseDeadline.ts";
import { MAX_TIMER_MS, setLongTimeout } from "../../src/runner/longTimeout.ts";
import { runGroup } from "../../src/runner/runGroup.ts";
import { tsxExecArgv } from "../../src/runner/workerEntry.ts";
import { parseRunOptions } from "../../src/suite/parseRunOptions.ts";
import type { GroupJob } from "../../src/worker/protocol.ts";

const fake = {
  modulePath: fileURLToPath(new URL("../runner/fixtures/fakeWorker.ts", import.meta.url)),
  execArgv: tsxExecArgv(),
};

test("a delay beyond Node's 2^31−1 ms timer range does not fire at once (a plain setTimeout does)", async () => {
  const beyond = MAX_TIMER_MS + 1000;
  let plainFired = false;
  let longFired = false;
  process.once("warning", () => {}); // Node's TimeoutOverflowWarning for the plain timer, expected here
  const plain = setTimeout(() => {
    plainFired = true;
  }, beyond);
  const long = setLongTimeout(() => {
    longFired = true;
  }, beyond);
  await new Promise((resolve) => setTimeout(resolve, 200));
  clearTimeout(plain);
  long.clear();
  assert.equal(plainFired, true, "the bug this guards against: Node fires an out-of-range timer after 1 ms");
  assert.equal(longFired, false);
});

test("a delay within range fires once, as setTimeout does; clear stops it", async () => {
  let fired = 0;
  setLongTimeout(() => fired++, 5);
  const cleared = setLongTimeout(() => fired++, 5);
  cleared.clear();
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(fired, 1);
});

test("--timeout 604800 on a 4-case group (2.4e9 ms) lets a real child finish instead of killing it at once", async () => {
  const request = parseRunOptions(["x.gguf"], {
    timeout: "604800",
    threads: "1,2,3,4",
    contexts: "256",
    maxTokens: "4",
  });
  const cases = request.config.sweep.threads.map((threads) => ({
    engine: "node-llama-cpp" as const,
    threads,
    batchSize: 512,
    ubatchSize: 512,
    flashAttention: false,
    kvCacheType: "f16" as const,
    mmap: true,
    gpuLayers: 0,
    cache: "unknown" as const,
  }));
  const timeoutMs = request.config.timeoutMs * cases.length;
  assert.ok(timeoutMs > MAX_TIMER_MS);
  const job: GroupJob = {
    file: "/fake/ok",
    mmap: true,
    gpuLayers: 0,
    cache: "unknown",
    cases,
    runs: 1,
    autoRuns: null,
    warmupRuns: 0,
    maxTokens: 4,
    inferenceContextSize: 256,
    contexts: [256],
    seed: 1,
    prompts: [{ id: "p1", title: "P1", text: "hello" }],
    trainingContextLength: 2048,
    allowBeyondTrainingContext: false,
    concurrency: [],
    requestsPerLevel: 0,
  };
  const run = await runGroup({ job, timeoutMs, worker: fake });
  assert.equal(run.process.outcome, "ok", JSON.stringify(run.processError));
});

test("a serving case's deadline (llama-server, openai) beyond 2^31−1 ms does not abort at once; within range it does", async () => {
  const far = caseDeadline(MAX_TIMER_MS + 1000);
  const near = caseDeadline(5);
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.equal(far.signal.aborted, false);
  assert.equal(far.ended(), null);
  assert.equal(near.signal.aborted, true);
  assert.equal(near.error("inference", "")?.code, "timeout");
  far.dispose();
  near.dispose();
});
