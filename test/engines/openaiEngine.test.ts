import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { freePort } from "../../src/engines/freePort.ts";
import { runOpenaiGroup } from "../../src/engines/runOpenaiGroup.ts";
import { servedModelNote } from "../../src/engines/servedModelNote.ts";
import { STANDARD_PROMPTS } from "../../src/prompts/standardPrompts.ts";
import type { GroupJob } from "../../src/worker/protocol.ts";
import { groupCase, groupJob } from "../helpers/groupJob.ts";
import { llamaServerBinary, needLlamaServer, tinyModel } from "./llamaServerHelpers.ts";

const API_KEY = "test-key-123";
let dir: string;
let model: string;
let endpoint: string;
let stopServer: () => Promise<void> = async () => {};

/** llama-server started by the test itself, with an API key, as someone else's server would be. */
before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "gguf-bench-openai-"));
  model = await tinyModel(dir);
  if (llamaServerBinary === null) return;
  const port = await freePort();
  const child = spawn(
    llamaServerBinary,
    ["-m", model, "--host", "127.0.0.1", "--port", String(port), "-c", "1024", "-np", "2", "-t", "1"],
    { stdio: "ignore", env: { ...process.env, LLAMA_API_KEY: API_KEY } },
  );
  const exited = new Promise((resolve) => child.on("close", resolve));
  stopServer = async () => {
    child.kill("SIGTERM");
    await exited;
  };
  endpoint = `http://127.0.0.1:${port}/v1`;
  for (let i = 0; i < 600; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("the test's llama-server did not come up");
});
after(async () => {
  await stopServer();
  await rm(dir, { recursive: true, force: true });
});

const settings = groupCase({ engine: "openai" });

function job(overrides: Partial<GroupJob> = {}): GroupJob {
  const shape = { warmupRuns: 0, maxTokens: 10, contexts: [512], trainingContextLength: 1024 };
  return groupJob(model, { cases: [settings], ...shape, ...overrides });
}

test("openai engine against a llama-server it did not start: usage counts, server timings, no memory, concurrency", async (t) => {
  if (!needLlamaServer(t)) return;
  const run = await runOpenaiGroup({
    endpoint: { baseUrl: endpoint, model: null, apiKey: API_KEY, idleTimeoutMs: 60_000 },
    job: job(),
    synthetic: true,
    concurrency: [1, 2],
    requestsPerLevel: 4,
    timeoutMs: 300_000,
  });
  const entry = run.collected.cases[0];
  assert.ok(entry);
  assert.deepEqual(entry.errors, []);
  assert.equal(run.process.pid, null, "not our process");
  assert.equal(run.process.outcome, "ok");
  assert.equal(run.collected.load, null, "load is not measured on someone else's server");
  // Other processes' CPU: every stage recorded, none measured (the server would count as another process).
  const cpu = run.collected.cpu?.records ?? [];
  assert.ok(cpu.length > 0 && cpu.some((r) => r.stage === "inference"));
  for (const r of cpu) {
    assert.equal(r.otherCpuFraction, null);
    assert.match(r.unmeasuredReason ?? "", /not a process gguf-bench started/);
  }
  assert.equal(entry.samples.length, 6);
  for (const sample of entry.samples) {
    assert.equal(sample.outputTokens, 10, "from the server's usage");
    assert.ok(sample.promptTokens > 10);
    assert.equal(sample.peakRssBytes, null, "memory not measured: null, never 0");
    assert.ok(sample.ttftMs > 0 && sample.totalMs >= sample.ttftMs);
    assert.equal(sample.server?.predictedTokens, 10, "llama-server's timings ride along on its OpenAI endpoint");
  }
  assert.deepEqual(
    entry.concurrency.map((c) => [c.concurrency, c.status, c.status === "ok" ? c.peakRssBytes : "-"]),
    [
      [1, "ok", null],
      [2, "ok", null],
    ],
  );
  const [context] = entry.contexts;
  assert.equal(context?.status, "ok", JSON.stringify(context));
  if (context?.status === "ok") {
    assert.equal(context.promptTokens, 512 - 10, "the prompt was sized with the server's /tokenize");
    assert.equal(context.peakRssBytes, null);
  }
});

test("a wrong API key, an unreachable endpoint: recorded errors with the server's words, no throw", async (t) => {
  if (!needLlamaServer(t)) return;
  const denied = await runOpenaiGroup({
    endpoint: { baseUrl: endpoint, model: null, apiKey: "wrong", idleTimeoutMs: 60_000 },
    job: job(),
    synthetic: true,
    concurrency: [],
    requestsPerLevel: 0,
    timeoutMs: 60_000,
  });
  const [error] = denied.collected.cases[0]?.errors ?? [];
  assert.equal(error?.code, "http-401");
  assert.equal(error?.message, `HTTP 401 from ${endpoint}/completions: Invalid API Key`);
  assert.deepEqual(denied.collected.cases[0]?.samples, []);

  const port = await freePort();
  const unreachable = await runOpenaiGroup({
    endpoint: { baseUrl: `http://127.0.0.1:${port}/v1`, model: null, apiKey: null, idleTimeoutMs: 5000 },
    job: job(),
    synthetic: false,
    concurrency: [],
    requestsPerLevel: 0,
    timeoutMs: 60_000,
  });
  const [refused] = unreachable.collected.cases[0]?.errors ?? [];
  assert.equal(refused?.code, "connection-failed");
});

test("an unknown model, a malformed stream, a stalled stream (an HTTP server that misbehaves)", async () => {
  const open = new Set<http.ServerResponse>();
  const server = http.createServer((request, response) => {
    let body = "";
    request.on("data", (c) => {
      body += c;
    });
    request.on("end", () => {
      open.add(response);
      const { model: asked } = JSON.parse(body) as { model?: string };
      if (asked === "garbage") {
        response.writeHead(200, { "content-type": "text/event-stream" });
        response.end('data: {"choices":[{"text":"hi"}]}\n\ndata: <html>oops</html>\n\n');
      } else if (asked === "stall") {
        response.writeHead(200, { "content-type": "text/event-stream" });
        response.write('data: {"choices":[{"text":"hi"}]}\n\n');
      } else {
        response.writeHead(404, { "content-type": "application/json" });
        response.end(`{"error":{"message":"The model '${asked}' does not exist","type":"NotFoundError"}}`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  try {
    const codes: [string, string, string][] = [];
    for (const name of ["no-such-model", "garbage", "stall"]) {
      const run = await runOpenaiGroup({
        endpoint: { baseUrl: url, model: name, apiKey: null, idleTimeoutMs: 500 },
        job: job({ contexts: [] }),
        synthetic: false,
        concurrency: [],
        requestsPerLevel: 0,
        timeoutMs: 60_000,
      });
      const [error] = run.collected.cases[0]?.errors ?? [];
      codes.push([name, error?.code ?? "", error?.message ?? ""]);
      assert.equal(run.process.outcome, "ok", "the run goes on");
    }
    assert.deepEqual(codes, [
      ["no-such-model", "http-404", `HTTP 404 from ${url}/completions: The model 'no-such-model' does not exist`],
      ["garbage", "malformed-stream", "a data line is not JSON: <html>oops</html>"],
      ["stall", "stalled", "the stream sent nothing for 0.5 s"],
    ]);
  } finally {
    for (const response of open) response.destroy();
    server.close();
  }
});

/** Server-reported prompt tokens (timings.prompt_n: evaluated, not taken from its cache) beside the usage count. */
function evaluated(run: Awaited<ReturnType<typeof runOpenaiGroup>>): [number, number][] {
  const entry = run.collected.cases[0];
  assert.ok(entry);
  assert.deepEqual(entry.errors, []);
  const pairs = entry.samples.map((s): [number, number] => [s.promptTokens, s.server?.promptTokens ?? -1]);
  for (const c of entry.contexts) {
    assert.equal(c.status, "ok", JSON.stringify(c));
    if (c.status === "ok") {
      assert.equal(c.promptTokens, 512 - 10, "the marker is inside the sized prompt, not on top of it");
      pairs.push([c.promptTokens, c.server?.promptTokens ?? -1]);
    }
  }
  return pairs;
}

test("two runs against one server: the second run's prompts are evaluated in full too (no prompt cache)", async (t) => {
  if (!needLlamaServer(t)) return;
  const endpointOptions = { baseUrl: endpoint, model: null, apiKey: API_KEY, idleTimeoutMs: 60_000 };
  for (let run = 1; run <= 2; run++) {
    const result = await runOpenaiGroup({
      endpoint: endpointOptions,
      job: job({ runs: 1 }),
      synthetic: true,
      concurrency: [],
      requestsPerLevel: 0,
      timeoutMs: 300_000,
    });
    const pairs = evaluated(result);
    assert.equal(pairs.length, STANDARD_PROMPTS.length + 1);
    for (const [usage, server] of pairs) assert.equal(server, usage, `run ${run}: the server evaluated every token`);
  }
});

test("a server whose prompt cache stays on (a proxy drops cache_prompt): the marker leaves it at most BOS and the marker", async (t) => {
  if (!needLlamaServer(t)) return;
  const target = new URL(endpoint);
  const asked: unknown[] = [];
  // Forwards to the test's llama-server, body rewritten without cache_prompt (so its cache is on), stream piped back.
  const proxy = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (c: Buffer) => chunks.push(c));
    request.on("end", () => {
      let body = Buffer.concat(chunks);
      if (body.length > 0) {
        const parsed = JSON.parse(body.toString("utf8")) as Record<string, unknown>;
        asked.push(parsed.cache_prompt);
        delete parsed.cache_prompt;
        body = Buffer.from(JSON.stringify(parsed));
      }
      const upstream = http.request(
        {
          host: target.hostname,
          port: target.port,
          path: request.url,
          method: request.method,
          headers: { ...request.headers, host: target.host, "content-length": String(body.length) },
        },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
        },
      );
      upstream.on("error", () => response.destroy());
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const baseUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/v1`;
  try {
    for (let run = 1; run <= 2; run++) {
      const result = await runOpenaiGroup({
        endpoint: { baseUrl, model: null, apiKey: API_KEY, idleTimeoutMs: 60_000 },
        job: job({ runs: 2 }),
        synthetic: true,
        concurrency: [],
        requestsPerLevel: 0,
        timeoutMs: 300_000,
      });
      // Two random markers may share leading hex digits (1 in 16 per digit; stories260K's vocabulary spells them
      // one token each): the cache can reuse BOS, "[" and at most the marker's 8 random digits and its "-".
      for (const [usage, server] of evaluated(result))
        assert.ok(
          server <= usage && server >= usage - 11,
          `run ${run}: ${usage - server} of ${usage} prompt tokens came from the cache (BOS and the marker at most)`,
        );
    }
    assert.ok(asked.includes(false), "the client asked for cache_prompt false");
  } finally {
    proxy.close();
  }
});

test("concurrency 4, 16 requests against a healthy server: no error (no kept-alive connection reused)", async (t) => {
  if (!needLlamaServer(t)) return;
  for (let round = 0; round < 2; round++) {
    const run = await runOpenaiGroup({
      endpoint: { baseUrl: endpoint, model: null, apiKey: API_KEY, idleTimeoutMs: 60_000 },
      job: job({ runs: 1, contexts: [] }),
      synthetic: true,
      concurrency: [4],
      requestsPerLevel: 16,
      timeoutMs: 300_000,
    });
    const [level] = run.collected.cases[0]?.concurrency ?? [];
    assert.equal(level?.status, "ok", JSON.stringify(level));
    if (level?.status === "ok") {
      assert.equal(level.requests, 16);
      assert.equal(level.errorCount, 0, JSON.stringify(level));
    }
  }
});

test("--served-model against llama-server (which ignores the name): checked against /v1/models, a mismatch noted", async (t) => {
  if (!needLlamaServer(t)) return;
  const at = (name: string | null, baseUrl = endpoint) =>
    servedModelNote({ baseUrl, model: name, apiKey: API_KEY, idleTimeoutMs: 10_000 });
  assert.equal(
    await at("no-such-model"),
    `openai engine at ${endpoint}: --served-model no-such-model is not among the models its /v1/models lists ('${model}'): a server that ignores the name (llama-server does) answered with its own model`,
  );
  assert.equal(await at(model), `openai engine at ${endpoint}: --served-model ${model}, listed by its /v1/models`);
  assert.equal(
    await at(null),
    `openai engine at ${endpoint}: no --served-model (the server's default model); its /v1/models lists '${model}'`,
  );
  const nowhere = `http://127.0.0.1:${await freePort()}/v1`;
  assert.match(
    await at("x", nowhere),
    /^openai engine at .*: --served-model x; its \/v1\/models could not be read \(.*ECONNREFUSED.*\): the name was not checked$/,
  );
});
