import assert from "node:assert/strict";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import type { RunResults } from "../../src/results/types.ts";
import { needLlamaServer, tinyModel } from "../engines/llamaServerHelpers.ts";
import { withTempDir } from "../helpers/withTempDir.ts";
import { runCli } from "./helpers.ts";

const SMALL = ["--runs", "1", "--warmup", "0", "--max-tokens", "4", "--contexts", "256", "--inference-context", "256"];
const QUIET = ["--threads", "1", "--no-db", "--no-bandwidth", "--format", "json"];
const withTemp = (run: (dir: string) => Promise<void>) => withTempDir("gguf-bench-ubatch-", run);

test("--ubatch-size apart from the batch on node-llama-cpp alone: refused in one line, exit 2, nothing loaded", async () => {
  await withTemp(async (dir) => {
    const model = await tinyModel(dir);
    const out = path.join(dir, "out");
    const run = await runCli(["run", model, "--ubatch-size", "128", ...SMALL, ...QUIET, "--out", out]);
    assert.equal(run.code, 2, run.stderr);
    assert.equal(
      run.stderr,
      "gguf-bench: --ubatch-size 128 with --batch-size 512: node-llama-cpp 3.21.1 sets n_ubatch = n_batch (it has no " +
        "micro-batch option), so a micro-batch apart from the batch size cannot run; leave --ubatch-size out (it " +
        "follows each batch size) or add --engine llama-server\n",
    );
    await assert.rejects(stat(out), { code: "ENOENT" }, "no output folder was made");
    // Equal to the batch size it runs, and the results say so.
    const equal = await runCli(["run", model, "--batch-size", "256", "--ubatch-size", "256", ...SMALL, ...QUIET]);
    assert.equal(equal.code, 0, equal.stderr);
  });
});

test("--ubatch-size with node-llama-cpp and llama-server: a warning, node-llama-cpp runs and records ubatch = batch", async (t) => {
  if (!needLlamaServer(t)) return;
  await withTemp(async (dir) => {
    const model = await tinyModel(dir);
    const out = path.join(dir, "out");
    const engines = ["--engine", "node-llama-cpp,llama-server"];
    const run = await runCli(["run", model, ...engines, "--ubatch-size", "128", ...SMALL, ...QUIET, "--out", out]);
    assert.equal(run.code, 0, run.stderr);
    const note =
      "--ubatch-size applies to llama-server only: node-llama-cpp 3.21.1 sets n_ubatch = n_batch (it has no " +
      "micro-batch option), so its cases ran with ubatch = batch";
    assert.match(run.stderr, new RegExp(`^gguf-bench: ${note.replace(/[()]/g, "\\$&")}$`, "m"));
    const results = JSON.parse(await readFile(path.join(out, "results.json"), "utf8")) as RunResults;
    assert.ok(results.config.notes.includes(note), results.config.notes.join("\n"));
    assert.deepEqual(results.config.sweep.ubatchSize, [128]);
    // What really ran: node-llama-cpp with its micro-batch equal to the batch, llama-server with 128.
    assert.deepEqual(
      results.models.map((m) => [m.settings.engine, m.settings.batchSize, m.settings.ubatchSize, m.status]),
      [
        ["node-llama-cpp", 512, 512, "ok"],
        ["llama-server", 512, 128, "ok"],
      ],
    );
  });
});
