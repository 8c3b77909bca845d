import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { freePort } from "../../src/engines/freePort.ts";
import { startLlamaServer } from "../../src/engines/llamaServerProcess.ts";
import { runLlamaServerGroup } from "../../src/engines/runLlamaServerGroup.ts";
import { liveServerPids } from "../../src/engines/serverRegistry.ts";
import { STANDARD_PROMPTS } from "../../src/prompts/standardPrompts.ts";
import type { GroupJob } from "../../src/worker/protocol.ts";
import { groupCase, groupJob } from "../helpers/groupJob.ts";
import { llamaServersFor, modelMissingALayer, needLlamaServer, tinyModel } from "./llamaServerHelpers.ts";

let dir: string;
let model: string;
before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "gguf-bench-llama-server-"));
  model = await tinyModel(dir);
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const settings = groupCase({ batchSize: 256, ubatchSize: 128, engine: "llama-server" });

function job(file: string, overrides: Partial<GroupJob> = {}): GroupJob {
  const shape = { maxTokens: 12, inferenceContextSize: 256, contexts: [256, 512, 2048], trainingContextLength: 1024 };
  return groupJob(file, { cases: [settings], ...shape, ...overrides });
}

test("llama-server: load, memory from /proc, client and server timings, contexts, concurrency; no server left", async (t) => {
  const binary = needLlamaServer(t);
  if (!binary) return;
  const run = await runLlamaServerGroup({
    binary,
    job: job(model),
    synthetic: true,
    concurrency: [1, 2],
    requestsPerLevel: 4,
    requestTimeoutMs: 60_000,
    timeoutMs: 300_000,
  });
  const { collected } = run;
  assert.deepEqual([...collected.groupErrors, ...(collected.cases[0]?.errors ?? [])], []);
  assert.equal(run.process.outcome, "ok");
  assert.equal(run.processError, null);
  assert.ok(run.process.pid !== null && run.memorySamples > 0);

  const load = collected.load;
  assert.ok(load);
  assert.ok(load.durationMs > 0 && load.firstDecodeMs > 0);
  // The server's memory, read from outside: it grew from the bare program to the loaded model.
  assert.ok(load.before.vmRssBytes > 0 && load.after.vmRssBytes > load.before.vmRssBytes);
  assert.ok(load.peakRssBytes >= load.after.vmRssBytes);
  assert.equal(load.deviceVramUsedBytes, null);

  const entry = collected.cases[0];
  assert.ok(entry);
  assert.equal(entry.samples.length, 3 * (1 + 2));
  for (const sample of entry.samples) {
    assert.equal(sample.outputTokens, 12, "ignore_eos: every request generates exactly max tokens");
    assert.ok(sample.promptTokens > 10);
    assert.ok(sample.ttftMs > 0 && sample.totalMs >= sample.ttftMs);
    assert.ok(sample.peakRssBytes !== null && sample.peakRssBytes >= load.after.rssAnonBytes);
    const server = sample.server;
    assert.ok(server, "the server's own timings are kept beside the client's");
    assert.equal(server.promptTokens, sample.promptTokens, "prompt cache off: the whole prompt is evaluated");
    assert.equal(server.predictedTokens, 12);
    // The client's clock contains the server's: end to end ≥ prompt + generation as the server timed them.
    assert.ok(sample.totalMs + 1 >= server.promptMs + server.predictedMs);
  }
  // The same prompt, the same count every time: nothing was served from a cache.
  const counts = new Set(
    entry.samples.filter((s) => s.promptId === STANDARD_PROMPTS[0]?.id).map((s) => s.promptTokens),
  );
  assert.equal(counts.size, 1);

  assert.deepEqual(
    entry.concurrency.map((c) => [c.concurrency, c.status]),
    [
      [1, "ok"],
      [2, "ok"],
    ],
  );
  for (const level of entry.concurrency) {
    if (level.status !== "ok") continue;
    assert.equal(level.requests, 4);
    assert.equal(level.errorCount, 0);
    assert.equal(level.e2eMs.n, 4);
    assert.ok(level.ttftMs.p50 <= level.ttftMs.p99);
    assert.ok(level.peakRssBytes !== null && level.peakRssBytes > 0);
  }

  assert.deepEqual(
    entry.contexts.map((c) => [c.contextSize, c.status]),
    [
      [256, "ok"],
      [512, "ok"],
      [2048, "skipped"],
    ],
  );
  for (const c of entry.contexts) {
    if (c.status !== "ok") continue;
    assert.equal(c.promptTokens + c.outputTokens, c.contextSize, "the window ends up exactly full");
    assert.ok(c.afterCreateRssBytes !== null && c.peakRssBytes !== null && c.peakRssBytes >= c.afterCreateRssBytes);
    assert.ok(c.server && c.server.promptTokens === c.promptTokens);
  }
  // Other processes' CPU, stage by stage (each context size on its own server, stopped within its stage).
  const cpu = collected.cpu?.records ?? [];
  assert.deepEqual(
    cpu.map((r) => [r.stage, r.detail]),
    [
      ["load", ""],
      ["inference", "3 prompts"],
      ["inference", "concurrency: llama-server with 2 slots"],
      ["inference", "concurrency 1"],
      ["inference", "concurrency 2"],
      ["contexts", "256 tokens"],
      ["contexts", "512 tokens"],
      ["contexts", "2048 tokens"],
    ],
  );
  for (const r of cpu)
    assert.ok(
      r.otherCpuFraction === null
        ? r.unmeasuredReason?.startsWith("too short to tell")
        : r.otherCpuFraction >= 0 && r.otherCpuFraction <= 1,
      JSON.stringify(r),
    );
  assert.deepEqual(liveServerPids(), []);
  assert.deepEqual(await llamaServersFor(model), []);
});

test("a model llama-server cannot load is a load failure quoting the server's own error line", async (t) => {
  const binary = needLlamaServer(t);
  if (!binary) return;
  const broken = await modelMissingALayer(dir);
  const run = await runLlamaServerGroup({
    binary,
    job: job(broken, { contexts: [256] }),
    synthetic: true,
    concurrency: [],
    requestsPerLevel: 0,
    requestTimeoutMs: 60_000,
    timeoutMs: 120_000,
  });
  assert.equal(run.collected.load, null);
  const [error] = run.collected.groupErrors;
  assert.equal(error?.stage, "load");
  assert.equal(error?.code, "load-failed");
  assert.match(
    error?.message ?? "",
    /^llama-server exited with code 1 while loading: .*error loading model: .*tensor 'blk\.2\.attn_norm\.weight' not found/,
  );
  assert.deepEqual(await llamaServersFor(broken), []);
});

test("llama-server killed mid-run: a recorded kill with the stage, no server left behind", async (t) => {
  const binary = needLlamaServer(t);
  if (!binary) return;
  let killed = false;
  const run = await runLlamaServerGroup({
    binary,
    job: job(model, { runs: 50, maxTokens: 64 }),
    synthetic: true,
    concurrency: [],
    requestsPerLevel: 0,
    requestTimeoutMs: 60_000,
    timeoutMs: 300_000,
    onMessage: (message) => {
      if (message.type === "inference-sample" && !killed) {
        killed = true;
        const [pid] = liveServerPids();
        if (pid !== undefined) process.kill(pid, "SIGKILL");
      }
    },
  });
  assert.ok(killed);
  assert.equal(run.process.outcome, "killed");
  assert.equal(run.process.signal, "SIGKILL");
  assert.equal(run.processError?.code, "killed");
  assert.match(
    run.processError?.message ?? "",
    /llama-server was killed by SIGKILL \(out of memory\?\) during inference/,
  );
  const entry = run.collected.cases[0];
  assert.ok(entry && entry.samples.length >= 1, "what finished before the kill is kept");
  // The request the kill cut short is an error, and it leads with the server's death, not "other side closed".
  const [first] = entry.errors;
  assert.equal(first?.stage, "inference");
  assert.equal(first?.code, "killed");
  assert.match(
    first?.message ?? "",
    /^llama-server was killed by SIGKILL \(out of memory\?\) during inference; the request in flight: /,
  );
  assert.deepEqual(entry.contexts, [], "nothing runs after the crash");
  assert.deepEqual(await llamaServersFor(model), []);
});

test("a port taken between the pick and the bind: the server starts again on another", async (t) => {
  const binary = needLlamaServer(t);
  if (!binary) return;
  const squatter = net.createServer();
  await new Promise<void>((resolve) => squatter.listen(0, "127.0.0.1", resolve));
  const taken = (squatter.address() as net.AddressInfo).port;
  const picked: number[] = [];
  try {
    const started = await startLlamaServer(
      binary,
      { file: model, settings, contextSize: 256, slots: 1 },
      undefined,
      async () => {
        const port = picked.length === 0 ? taken : await freePort();
        picked.push(port);
        return port;
      },
    );
    assert.ok(started.ok, started.ok ? "" : started.message);
    assert.equal(picked.length, 2, "the taken port was given up for a second one");
    assert.equal(started.server.baseUrl, `http://127.0.0.1:${picked[1]}`);
    await started.server.stop();
  } finally {
    squatter.close();
  }
});
