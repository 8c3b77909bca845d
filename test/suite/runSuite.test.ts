import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { loadResultsFile } from "../../src/results/loadResultsFile.ts";
import type { RunResults } from "../../src/results/types.ts";
import { tsxExecArgv } from "../../src/runner/workerEntry.ts";
import { resolveDbLocation } from "../../src/store/dbLocation.ts";
import { openStore } from "../../src/store/resultStore.ts";
import { parseRunOptions } from "../../src/suite/parseRunOptions.ts";
import { resultSink } from "../../src/suite/resultSink.ts";
import { runSuite } from "../../src/suite/runSuite.ts";
import { tinyModel } from "../helpers/tinyModel.ts";

const fake = {
  modulePath: fileURLToPath(new URL("../runner/fixtures/fakeWorker.ts", import.meta.url)),
  execArgv: tsxExecArgv(),
};

/** A real GGUF file (the project's writer; trained for 2048 tokens) under a name that tells the stand-in worker how to behave. */
async function linked(dir: string, name: string): Promise<string> {
  return tinyModel(dir, `${name}.gguf`);
}

test("a crash, a corrupt file and a good model: two recorded failures, the good one still measured, all on disk", async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "gguf-bench-suite-"));
  try {
    const corrupt = path.join(dir, "corrupt.gguf");
    await writeFile(corrupt, Buffer.from("GGUF\x03\x00\x00\x00 this is not a header"));
    const models = [await linked(dir, "abort-in-load"), corrupt, await linked(dir, "ok")];
    const request = parseRunOptions(models, {
      runs: "2",
      maxTokens: "4",
      contexts: "256,4096",
      out: dir,
      timeout: "60",
    });
    const dbPath = path.join(dir, "history.db");
    const results = await runSuite({
      models: models.map((file) => ({ file, synthetic: false })),
      config: request.config,
      outDir: dir,
      sink: resultSink(dir, resolveDbLocation(dbPath)),
      bandwidth: false,
      worker: fake,
    });
    // The metadata failure is recorded before any process starts, so it comes first.
    assert.deepEqual(
      results.models.map((m) => [path.basename(m.file), m.status]),
      [
        ["corrupt.gguf", "failed"],
        ["abort-in-load.gguf", "failed"],
        ["ok.gguf", "partial"],
      ],
    );
    const [corruptResult, crashed, good] = results.models;
    assert.equal(corruptResult?.errors[0]?.stage, "metadata");
    assert.equal(corruptResult?.process.pid, null);
    assert.equal(crashed?.process.outcome, "crash");
    assert.equal(crashed?.errors.at(-1)?.stage, "load");
    assert.equal(good?.process.outcome, "ok");
    assert.equal(good?.inference?.summaries.generationTokensPerSecond.n, 3 * 2);
    // The model's training context is 2048: the 4096 size is skipped by the worker with a reason.
    assert.equal(good?.contexts.find((c) => c.contextSize === 4096)?.status, "skipped");
    assert.equal(results.environment.nodeLlamaCpp, "fake", "versions come from the worker's ready message");
    assert.ok(results.finishedAt);

    const onDisk = await loadResultsFile(path.join(dir, "results.json"));
    assert.equal(onDisk.runId, results.runId);
    assert.equal(onDisk.models.length, 3);
    const store = await openStore(dbPath);
    try {
      assert.equal((await store.getRun(results.runId))?.models.length, 3);
    } finally {
      await store.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("Ctrl-C during a model: that model interrupted, finished ones kept, the rest not started", async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "gguf-bench-suite-"));
  try {
    const models = [await linked(dir, "ok"), await linked(dir, "hang"), await linked(dir, "ok2")];
    const request = parseRunOptions(models, { runs: "1", maxTokens: "4", contexts: "256", out: dir, timeout: "60" });
    const controller = new AbortController();
    const results = await runSuite({
      models: models.map((file) => ({ file, synthetic: false })),
      config: request.config,
      outDir: dir,
      sink: resultSink(dir, null),
      bandwidth: false,
      worker: fake,
      signal: controller.signal,
      progress: async (tasks) => {
        for (const [i, task] of tasks.entries())
          await task.run((detail) => {
            if (i === 1 && detail.startsWith("load")) controller.abort();
          });
      },
    });
    assert.equal(results.interrupted, true);
    assert.deepEqual(
      results.models.map((m) => m.process.outcome),
      ["ok", "interrupted"],
    );
    const onDisk = JSON.parse(await readFile(path.join(dir, "results.json"), "utf8")) as RunResults;
    assert.equal(onDisk.interrupted, true);
    assert.equal(onDisk.models.length, 2);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
