import assert from "node:assert/strict";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { assembleModelResults, type ModelIdentity } from "../../src/runner/assembleModelResults.ts";
import { runGroup } from "../../src/runner/runGroup.ts";
import { tsxExecArgv } from "../../src/runner/workerEntry.ts";
import type { GroupJob } from "../../src/worker/protocol.ts";
import { groupCase, groupJob } from "../helpers/groupJob.ts";

const fake = {
  modulePath: fileURLToPath(new URL("./fixtures/fakeWorker.ts", import.meta.url)),
  execArgv: tsxExecArgv(),
};
const settings = groupCase();

function job(behaviour: string, cases = 1): GroupJob {
  return groupJob(`/fake/${behaviour}`, {
    cases: Array.from({ length: cases }, (_, i) => ({ ...settings, threads: i + 1 })),
    maxTokens: 4,
    inferenceContextSize: 256,
    contexts: [256, 4096],
    seed: 1,
    prompts: [{ id: "p1", title: "P1", text: "hello" }],
  });
}

const identity = { label: "fake", file: "/fake", fileFingerprint: "0", synthetic: true, info: {} } as ModelIdentity;

test("a worker that finishes: outcome ok, memory read from outside, every case assembled", async () => {
  const j = job("ok", 2);
  const run = await runGroup({ job: j, timeoutMs: 30_000, worker: fake });
  assert.equal(run.process.outcome, "ok", JSON.stringify(run.processError));
  assert.equal(run.processError, null);
  assert.ok(run.memorySamples > 0);
  const load = run.collected.load;
  assert.ok(load);
  // The fake touched 64 MiB during load (after a GC'd baseline): the peak must have seen most of it.
  assert.ok(load.peakRssBytes >= load.before.vmRssBytes + 56 * 1024 * 1024, `peak ${load.peakRssBytes}`);
  assert.ok(load.peakRssBytes >= load.after.vmRssBytes);
  const results = assembleModelResults(identity, j, run, ["fake#1", "fake#2"]);
  assert.equal(results.length, 2);
  for (const r of results) {
    assert.equal(r.status, "partial", "the fake's 256-token context reports an error, so the case is partial");
    assert.equal(r.inference?.samples.length, 3);
    assert.equal(r.inference?.summaries.generationTokensPerSecond.n, 2);
    // timed runs 0 and 1 report 100 and 101 tokens/s
    assert.equal(r.inference?.summaries.generationTokensPerSecond.mean, 100.5);
    assert.deepEqual(
      r.contexts.map((c) => c.status),
      ["error", "skipped"],
    );
  }
  assert.deepEqual(
    results.map((r) => r.settings.threads),
    [1, 2],
  );
});

test("SIGABRT mid-load is a crash in the load stage", async () => {
  const j = job("abort-in-load");
  const run = await runGroup({ job: j, timeoutMs: 30_000, worker: fake });
  assert.equal(run.process.outcome, "crash");
  assert.equal(run.process.signal, "SIGABRT");
  assert.equal(run.processError?.code, "crash");
  assert.equal(run.processError?.stage, "load");
  const [result] = assembleModelResults(identity, j, run, ["fake#1"]);
  assert.equal(result?.status, "failed");
  assert.equal(result?.errors.at(-1)?.code, "crash");
});

test("SIGKILL mid-load is 'killed', with the out-of-memory hint", async () => {
  const run = await runGroup({ job: job("sigkill-in-load"), timeoutMs: 30_000, worker: fake });
  assert.equal(run.process.outcome, "killed");
  assert.match(run.processError?.message ?? "", /killed by SIGKILL \(out of memory\?\) during load/);
});

test("a non-zero exit is an error with its code", async () => {
  const run = await runGroup({ job: job("exit-3"), timeoutMs: 30_000, worker: fake });
  assert.equal(run.process.outcome, "error");
  assert.equal(run.process.exitCode, 3);
  assert.match(run.processError?.message ?? "", /exited with code 3 during load/);
});

test("a hang is killed at the timeout", async () => {
  const run = await runGroup({ job: job("hang"), timeoutMs: 1500, worker: fake });
  assert.equal(run.process.outcome, "timeout");
  assert.equal(run.process.signal, "SIGKILL");
  assert.match(run.processError?.message ?? "", /exceeded --timeout 1\.5 s during load/);
});

test("Ctrl-C (abort) kills the child and marks it interrupted", async () => {
  const controller = new AbortController();
  const pending = runGroup({
    job: job("hang"),
    timeoutMs: 30_000,
    worker: fake,
    signal: controller.signal,
    onMessage: (m) => {
      if (m.type === "stage") controller.abort();
    },
  });
  const run = await pending;
  assert.equal(run.process.outcome, "interrupted");
  assert.equal(run.processError?.code, "interrupted");
});

test("a crash in the second case keeps the first case as measured", async () => {
  const j = job("crash-in-case-2", 2);
  const run = await runGroup({ job: j, timeoutMs: 30_000, worker: fake });
  assert.equal(run.process.outcome, "crash");
  const [first, second] = assembleModelResults(identity, j, run, ["a", "b"]);
  assert.equal(first?.inference?.samples.length, 3);
  assert.equal(
    first?.errors.some((e) => e.code === "crash"),
    false,
  );
  assert.equal(second?.status, "failed");
  assert.equal(second?.errors.at(-1)?.stage, "inference");
});

test("a worker that cannot start is an error that quotes its last stderr line", async () => {
  const missing = { modulePath: "/nonexistent/gguf-bench-worker.js", execArgv: [] };
  const run = await runGroup({ job: job("ok"), timeoutMs: 30_000, worker: missing });
  assert.equal(run.process.outcome, "error");
  assert.equal(run.process.exitCode, 1);
  assert.match(
    run.processError?.message ?? "",
    /worker exited with code 1 during load: .*Cannot find module|MODULE_NOT_FOUND/,
  );
});

test("--timeout in a later stage: the case fails, with a 'timeout' row for every level and context size it did not reach", async () => {
  const j = { ...job("hang-in-concurrency-2"), concurrency: [1, 2, 4], requestsPerLevel: 8 };
  // The fake hangs for good at concurrency 2, so the cut is certain to fall there (10 s covers the child's start).
  const run = await runGroup({ job: j, timeoutMs: 10_000, worker: fake });
  assert.equal(run.process.outcome, "timeout");
  assert.match(run.processError?.message ?? "", /exceeded --timeout 10 s during inference: concurrency 2;/);
  const [result] = assembleModelResults(identity, j, run, ["fake#1"]);
  assert.equal(result?.status, "failed", "a case its process did not finish is a failure, measured runs kept");
  assert.equal(result?.inference?.samples.length, 3);
  assert.deepEqual(
    result?.concurrency.map((c) => [c.concurrency, c.status, c.status === "error" ? c.code : null]),
    [
      [1, "unsupported", null],
      [2, "error", "timeout"],
      [4, "error", "timeout"],
    ],
  );
  assert.deepEqual(
    result?.contexts.map((c) => [c.contextSize, c.status === "error" ? c.code : c.status]),
    [
      [256, "timeout"],
      [4096, "timeout"],
    ],
  );
  const row = result?.contexts[0];
  assert.match(row?.status === "error" ? row.message : "", /^not measured: exceeded --timeout 10 s during inference/);
});

test("Ctrl-C in a later stage: the levels and sizes not reached are 'interrupted', the case is not a failure", async () => {
  const controller = new AbortController();
  const j = { ...job("hang-in-concurrency-2"), concurrency: [1, 2], requestsPerLevel: 8 };
  const run = await runGroup({
    job: j,
    timeoutMs: 600_000,
    worker: fake,
    signal: controller.signal,
    onMessage: (m) => {
      if (m.type === "stage" && m.detail === "concurrency 2") controller.abort();
    },
  });
  assert.equal(run.process.outcome, "interrupted");
  const [result] = assembleModelResults(identity, j, run, ["fake#1"]);
  // Not "failed" nor "partial": the stop, not the model, ended it (what it measured before is kept).
  assert.equal(result?.status, "interrupted");
  assert.ok(result?.inference, "the timed runs before the stop are kept");
  assert.deepEqual(
    result?.concurrency.map((c) => [c.concurrency, c.status === "error" ? c.code : c.status]),
    [
      [1, "unsupported"],
      [2, "interrupted"],
    ],
  );
  assert.deepEqual(
    result?.contexts.map((c) => (c.status === "error" ? c.code : c.status)),
    ["interrupted", "interrupted"],
  );
});
