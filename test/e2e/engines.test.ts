import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, symlink } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { freePort } from "../../src/engines/freePort.ts";
import type { RunResults } from "../../src/results/types.ts";
import { busiestShare } from "../../src/stats/busyStages.ts";
import { llamaServersFor, needLlamaServer } from "../engines/llamaServerHelpers.ts";
import { spawnCli } from "../helpers/spawnCli.ts";
import { needsRealModel, tinyModel } from "../helpers/tinyModel.ts";
import { withTempDir } from "../helpers/withTempDir.ts";
import { runCli } from "./helpers.ts";

/** The end-to-end case is a trained model (llama-server's output parser wants valid text). */
const storiesPath = fileURLToPath(new URL("../../../shared/models/stories260K.gguf", import.meta.url));
const haveStories = existsSync(storiesPath);

const QUIET = ["--threads", "1", "--max-tokens", "8", "--no-db", "--no-bandwidth"];

/** `run <model> --engine <engines> <flags…>`, small and quiet (QUIET), into `out`, as `format` when given. */
const runArgs = (model: string, engines: string, out: string, flags: string[], format?: string): string[] => [
  "run",
  model,
  "--engine",
  engines,
  ...flags,
  ...QUIET,
  "--out",
  out,
  ...(format === undefined ? [] : ["--format", format]),
];

const withTemp = (run: (dir: string) => Promise<void>) => withTempDir("gguf-bench-engines-e2e-", run);

test("run stories260K on node-llama-cpp and llama-server, contexts 512,1024, concurrency 1,2: both measured", async (t) => {
  if (!haveStories) return t.skip(needsRealModel(storiesPath, "a trained model"));
  if (!needLlamaServer(t)) return;
  await withTemp(async (out) => {
    const flags = ["--runs", "2", "--contexts", "512,1024", "--concurrency", "1,2", "--requests", "4"];
    const { code, stderr } = await runCli(
      runArgs(storiesPath, "node-llama-cpp,llama-server", out, [...flags, "--inference-context", "256"], "json,md"),
    );
    assert.equal(code, 0, stderr);
    const results = JSON.parse(await readFile(path.join(out, "results.json"), "utf8")) as RunResults;
    assert.deepEqual(results.config.sweep.engine, ["node-llama-cpp", "llama-server"]);
    assert.equal(results.environment.engines[0]?.engine, "llama-server");
    assert.match(results.environment.engines[0]?.version ?? "", /80fb11a/);
    assert.ok(
      results.environment.nodeLlamaCppBuild === "prebuilt" || results.environment.nodeLlamaCppBuild === "localBuild",
    );
    assert.deepEqual(
      results.models.map((m) => [m.settings.engine, m.status]),
      [
        ["node-llama-cpp", "ok"],
        ["llama-server", "ok"],
      ],
    );
    for (const model of results.models) {
      assert.ok(model.load && model.load.after.vmRssBytes > 0, `${model.settings.engine}: memory after load`);
      assert.ok((model.inference?.summaries.peakRssBytes.mean ?? 0) > 0, `${model.settings.engine}: peak memory`);
      assert.deepEqual(
        model.contexts.map((c) => [c.contextSize, c.status]),
        [
          [512, "ok"],
          [1024, "ok"],
        ],
      );
      assert.deepEqual(
        model.concurrency.map((c) => [c.concurrency, c.status]),
        [
          [1, "ok"],
          [2, "ok"],
        ],
      );
      for (const level of model.concurrency)
        if (level.status === "ok") assert.ok(level.e2eMs.n === 4 && level.e2eMs.p99 >= level.e2eMs.p50);
    }
    const server = results.models[1];
    assert.ok(server?.inference?.samples.every((s) => s.server && s.server.predictedTokens === 8));
    assert.ok(server?.contexts.every((c) => c.status === "ok" && c.server));
    const report = await readFile(path.join(out, "report.md"), "utf8");
    assert.match(report, /## Engines side by side\n[\s\S]*\| node-llama-cpp +\|[\s\S]*\| llama-server +\|/);
    // The gap is stated only when neither inference stage was busy (the run measures other processes' share);
    // on a busy machine the report says the comparison is not reliable instead.
    const busy = results.models.some((m) => busiestShare(m, "inference") !== null);
    assert.match(
      report,
      busy
        ? /In-process generation measured [\d.,]+% of llama-server's own server-timed generation speed, but this is not a reliable comparison: the machine was busy/
        : /In-process generation \(client-side, mean of per-request rates\) runs at [\d.,]+% of llama-server's own server-timed generation speed \(mean of per-request rates\)/,
    );
    assert.match(report, /## Concurrency\n[\s\S]*aggregate output tokens\/s (stops rising|still rises)/);
    assert.deepEqual(await llamaServersFor(storiesPath), []);
  });
});

test("the openai engine through the CLI, against a llama-server the test started itself", async (t) => {
  if (!haveStories) return t.skip(needsRealModel(storiesPath, "a trained model"));
  const binary = needLlamaServer(t);
  if (!binary) return;
  await withTemp(async (out) => {
    const port = await freePort();
    const server = spawn(binary, ["-m", storiesPath, "--port", String(port), "-c", "2048", "-t", "1"], {
      stdio: "ignore",
    });
    const exited = new Promise((resolve) => server.on("close", resolve));
    try {
      for (let i = 0; i < 600; i++) {
        if (
          await fetch(`http://127.0.0.1:${port}/health`).then(
            (r) => r.ok,
            () => false,
          )
        )
          break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const endpoint = ["--endpoint", `http://127.0.0.1:${port}`];
      // llama-server ignores the name: the run must say so, not let it pass.
      const flags = [...endpoint, "--served-model", "gpt-4o", "--runs", "2", "--contexts", "512"];
      const { code, stderr } = await runCli(
        runArgs(storiesPath, "openai", out, [...flags, "--inference-context", "256"], "json"),
      );
      assert.equal(code, 0, stderr);
      const results = JSON.parse(await readFile(path.join(out, "results.json"), "utf8")) as RunResults;
      const [model] = results.models;
      assert.equal(model?.status, "ok", JSON.stringify(model?.errors));
      assert.equal(model?.load, null);
      assert.equal(model?.process.pid, null);
      assert.equal(model?.inference?.summaries.peakRssBytes.n, 0, "memory: not measured, not 0");
      assert.ok((model?.inference?.summaries.generationTokensPerSecond.mean ?? 0) > 0);
      assert.equal(results.config.serving.endpoint, `http://127.0.0.1:${port}/v1`);
      assert.ok(results.config.notes.some((n) => /openai engine: the endpoint's own settings apply/.test(n)));
      assert.equal(results.config.serving.servedModel, "gpt-4o");
      assert.ok(
        results.config.notes.some((n) =>
          /--served-model gpt-4o is not among the models its \/v1\/models lists \('.*stories260K\.gguf'\)/.test(n),
        ),
        results.config.notes.join("\n"),
      );
    } finally {
      server.kill("SIGTERM");
      await exited;
    }
  });
});

test("no llama-server built: a one-line error that names the build command, exit 1", async () => {
  await withTemp(async (dir) => {
    const model = await tinyModel(dir);
    const { code, stderr } = await runCli(runArgs(model, "llama-server", dir, []), { XDG_CACHE_HOME: dir });
    assert.equal(code, 1);
    assert.equal(
      stderr,
      "gguf-bench: llama-server is not built: run `gguf-bench engine build` (or give --llama-server PATH)\n",
    );
  });
});

test("Ctrl-C while llama-server runs: the run stops, results are kept, no server is left behind", async (t) => {
  if (!haveStories) return t.skip(needsRealModel(storiesPath, "a trained model"));
  if (!needLlamaServer(t)) return;
  await withTemp(async (dir) => {
    const model = path.join(dir, "interrupted.gguf");
    await symlink(storiesPath, model);
    const cli = spawnCli(runArgs(model, "llama-server", dir, ["--runs", "200", "--concurrency", "2"]));
    let seen = false;
    for (let i = 0; i < 1200 && !seen; i++) {
      seen = (await llamaServersFor(model)).length > 0 && /inference/.test(cli.printed());
      if (!seen) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(seen, `llama-server never ran: ${cli.printed()}`);
    cli.child.kill("SIGINT");
    const printedBefore = cli.printed().length;
    const { code, stderr } = await cli.done;
    assert.equal(code, 1, stderr);
    assert.deepEqual(await llamaServersFor(model), [], "no llama-server outlives the run");
    // The concurrency stage's server is not started after Ctrl-C, nor shown.
    assert.doesNotMatch(stderr.slice(printedBefore), /llama-server with 2 slots/, stderr);
    const results = JSON.parse(await readFile(path.join(dir, "results.json"), "utf8")) as RunResults;
    assert.equal(results.interrupted, true);
    assert.equal(results.models[0]?.process.outcome, "interrupted");
    assert.deepEqual(
      results.models[0]?.concurrency.map((c) => [c.concurrency, rowCode(c)]),
      [[2, "interrupted"]],
    );
  });
});

/** A concurrency level no run can finish in time: the cut falls inside it for certain. */
const ENDLESS_LEVELS = ["--concurrency", "1,2", "--requests", "100000", "--runs", "1", "--warmup", "0"];
const rowCode = (r: { status: string; code?: string }) => (r.status === "error" ? r.code : r.status);

test("llama-server: --timeout during the concurrency stage is a failure with a row for every stage not reached; exit 1", async (t) => {
  if (!haveStories) return t.skip(needsRealModel(storiesPath, "a trained model"));
  if (!needLlamaServer(t)) return;
  await withTemp(async (dir) => {
    const model = path.join(dir, "slow.gguf");
    await symlink(storiesPath, model);
    const flags = [...ENDLESS_LEVELS, "--contexts", "256,512", "--timeout", "5"];
    const { code, stderr } = await runCli(runArgs(model, "llama-server", dir, flags, "json"));
    assert.equal(code, 1, stderr);
    assert.match(stderr, /✖ .*slow\.gguf \(llama-server\).*timeout/);
    assert.match(stderr, /1 result\(s\), 1 failed/);
    const results = JSON.parse(await readFile(path.join(dir, "results.json"), "utf8")) as RunResults;
    const [result] = results.models;
    assert.equal(result?.process.outcome, "timeout");
    assert.equal(result?.status, "failed");
    // Wherever the 5 s fell (a busy machine may be slow to load), no asked-for row is missing and none is measured
    // after the cut; 100,000 requests per level cannot finish, so every level is a timeout.
    assert.deepEqual(
      result?.concurrency.map((c) => [c.concurrency, rowCode(c)]),
      [
        [1, "timeout"],
        [2, "timeout"],
      ],
    );
    assert.deepEqual(
      result?.contexts.map((c) => [c.contextSize, rowCode(c)]),
      [
        [256, "timeout"],
        [512, "timeout"],
      ],
    );
    assert.deepEqual(await llamaServersFor(model), [], "no llama-server outlives the run");
  });
});

test("Ctrl-C during a concurrency level: the level is interrupted (not failed requests), no stage starts after it", async (t) => {
  if (!haveStories) return t.skip(needsRealModel(storiesPath, "a trained model"));
  if (!needLlamaServer(t)) return;
  await withTemp(async (dir) => {
    const model = path.join(dir, "interrupted.gguf");
    await symlink(storiesPath, model);
    const cli = spawnCli(runArgs(model, "llama-server", dir, ENDLESS_LEVELS));
    for (let i = 0; i < 1200 && !/concurrency 1/.test(cli.printed()); i++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    assert.match(cli.printed(), /concurrency 1/, "the run never reached the concurrency stage");
    cli.child.kill("SIGINT");
    const printedBefore = cli.printed().length;
    const { code, stderr } = await cli.done;
    assert.equal(code, 1, stderr);
    assert.deepEqual(await llamaServersFor(model), [], "no llama-server outlives the run");
    assert.doesNotMatch(stderr.slice(printedBefore), /concurrency 2|contexts ·|llama-server with/, stderr);
    const results = JSON.parse(await readFile(path.join(dir, "results.json"), "utf8")) as RunResults;
    assert.equal(results.interrupted, true);
    const [result] = results.models;
    assert.equal(result?.process.outcome, "interrupted");
    assert.deepEqual(
      result?.concurrency.map((c) => [c.concurrency, rowCode(c)]),
      [
        [1, "interrupted"],
        [2, "interrupted"],
      ],
    );
  });
});

test("--quality with only a server engine: the quality is recorded as not measured, with why", async (t) => {
  if (!haveStories) return t.skip(needsRealModel(storiesPath, "a trained model"));
  if (!needLlamaServer(t)) return;
  await withTemp(async (out) => {
    const flags = ["--quality", "--quality-context", "64", "--runs", "1", "--contexts", "256"];
    const { code, stderr } = await runCli(
      runArgs(storiesPath, "llama-server", out, [...flags, "--inference-context", "256"], "json,md"),
    );
    assert.equal(code, 0, stderr);
    const results = JSON.parse(await readFile(path.join(out, "results.json"), "utf8")) as RunResults;
    const quality = results.models[0]?.quality;
    assert.equal(quality?.status, "skipped");
    assert.match(quality?.status === "skipped" ? quality.reason : "", /in-process .*add node-llama-cpp to --engine/);
    const report = await readFile(path.join(out, "report.md"), "utf8");
    assert.match(report, /add node-llama-cpp to --engine/);
  });
});
