import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { nodeLlamaCppDir, readBundleCommit } from "../../src/engines/enginePaths.ts";
import {
  type BenchmarkProgress,
  compareRuns,
  type EstimateOptions,
  estimateMemory,
  GgufError,
  openHistoryStore,
  type RunResults,
  readModelInfo,
  renderReport,
  runBenchmark,
  SCHEMA_VERSION,
  synthesizeModel,
  UsageError,
} from "../../src/index.ts";
import { runResultsSchema } from "../../src/results/schema.ts";

const stories = fileURLToPath(new URL("../../../shared/models/stories260K.gguf", import.meta.url));
const SMALL = {
  runs: 1,
  warmup: 0,
  maxTokens: 4,
  contexts: [256],
  inferenceContext: 256,
  threads: [1],
  measureBandwidth: false,
} as const;

test("runBenchmark: progress in order, the results.json object, written only where asked, reports in every format", async (t) => {
  if (!existsSync(stories)) return t.skip(`stories260K.gguf not found at ${stories}`);
  const dir = await mkdtemp(path.join(os.tmpdir(), "gguf-bench-api-"));
  try {
    const events: BenchmarkProgress[] = [];
    const results = await runBenchmark(
      { ...SMALL, models: [stories], outDir: path.join(dir, "out"), db: path.join(dir, "history.db") },
      { onProgress: (event) => events.push(event) },
    );
    assert.equal(results.schemaVersion, SCHEMA_VERSION);
    assert.equal(runResultsSchema.safeParse(results).success, true);
    assert.equal(results.models.length, 1);
    const [model] = results.models;
    assert.equal(model?.status, "ok", JSON.stringify(model?.errors));
    assert.equal(model?.inference?.summaries.generationTokensPerSecond.n, 3);
    // The llama.cpp that ran: node-llama-cpp's label and the commit of the source it ships.
    assert.match(results.environment.llamaCppBuild, /llama\.cpp@/);
    assert.deepEqual(
      [results.environment.llamaCppCommit, results.environment.llamaCppCommitNotRecordedReason],
      [readBundleCommit(path.join(nodeLlamaCppDir(), "llama", "gitRelease.bundle")).commit, null],
    );
    assert.match(results.environment.llamaCppCommit ?? "", /^[0-9a-f]{40}$/);
    assert.deepEqual(
      events.map((e) => e.type).filter((type, i, all) => type !== all[i - 1]),
      ["group", "stage", "result"],
    );
    assert.deepEqual(events[0], { type: "group", group: 1, groups: 1, title: "stories260K.gguf" });
    assert.equal((events.at(-1) as { result: unknown }).result, model);

    const onDisk = JSON.parse(await readFile(path.join(dir, "out", "results.json"), "utf8")) as RunResults;
    assert.deepEqual(onDisk, JSON.parse(JSON.stringify(results)));
    const store = await openHistoryStore(path.join(dir, "history.db"));
    try {
      assert.equal((await store.getRun(results.runId))?.models.length, 1);
    } finally {
      await store.close();
    }

    assert.match(await renderReport(results, "md"), /stories260K/);
    assert.match(await renderReport([results], "html"), /^<!doctype html>/i);
    assert.equal(JSON.parse(await renderReport(results, "json")).runs[0].runId, results.runId);
    assert.match((await renderReport(results, "csv")).split("\n")[0] ?? "", /,/);
    await assert.rejects(renderReport([], "md"), { code: "no-results" });
    await assert.rejects(renderReport(results, "pdf" as "md"), UsageError);

    const comparison = compareRuns(results, results);
    assert.equal(comparison.models.length, 1);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("runBenchmark: an aborted signal stops the run with interrupted set; a bad plan names its flag; nothing written", async (t) => {
  if (!existsSync(stories)) return t.skip(`stories260K.gguf not found at ${stories}`);
  const dir = await mkdtemp(path.join(os.tmpdir(), "gguf-bench-api-"));
  try {
    const stop = new AbortController();
    const results = await runBenchmark(
      { ...SMALL, models: [stories] },
      { signal: stop.signal, onProgress: (event) => event.type === "stage" && stop.abort() },
    );
    assert.equal(results.interrupted, true);
    assert.ok(results.finishedAt);

    await assert.rejects(runBenchmark({ models: [stories], runs: 0 }), /--runs must be auto or an integer from 1/);
    await assert.rejects(runBenchmark({ models: [stories], kvCacheType: ["q4" as "f16"] }), UsageError);
    await assert.rejects(runBenchmark({ models: [stories], runs: 3, maxRuns: 5 }), /--max-runs applies to --runs auto/);
    const thrown = new Error("from the callback");
    await assert.rejects(
      runBenchmark(
        { ...SMALL, models: [stories] },
        {
          onProgress: () => {
            throw thrown;
          },
        },
      ),
      (error) => error === thrown,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("runBenchmark takes a folder as `run` does: the .gguf files under it; what it passed over is a problem event; none is no-models", async (t) => {
  if (!existsSync(stories)) return t.skip(`stories260K.gguf not found at ${stories}`);
  const dir = await mkdtemp(path.join(os.tmpdir(), "gguf-bench-api-"));
  try {
    const folder = path.join(dir, "models");
    await mkdir(path.join(folder, "sub"), { recursive: true });
    // A link to a file counts (as in a Hugging Face cache); a FIFO named .gguf is passed over, never opened.
    await symlink(stories, path.join(folder, "sub", "linked.gguf"));
    await writeFile(path.join(folder, "notes.txt"), "not a model");
    execFileSync("mkfifo", [path.join(folder, "pipe.gguf")]);
    const events: BenchmarkProgress[] = [];
    const results = await runBenchmark({ ...SMALL, models: [folder] }, { onProgress: (event) => events.push(event) });
    assert.deepEqual(
      results.models.map((m) => [m.file, m.status]),
      [[path.join(folder, "sub", "linked.gguf"), "ok"]],
    );
    assert.deepEqual(events[0], {
      type: "problem",
      message: `${path.join(folder, "pipe.gguf")}: not a regular file (FIFO); skipped without opening it`,
    });
    assert.deepEqual(events[1], { type: "group", group: 1, groups: 1, title: "linked.gguf" });

    const empty = path.join(dir, "empty");
    await mkdir(empty);
    await writeFile(path.join(empty, "readme.md"), "no models here");
    await assert.rejects(runBenchmark({ ...SMALL, models: [empty] }), {
      code: "no-models",
      message: `${empty}: no .gguf files in this folder (run takes GGUF files, or folders holding them)`,
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("estimateMemory({ whatIf }): the estimate of the file run --what-if would write, without writing it", async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "gguf-bench-api-"));
  try {
    const spec = "gemma3:tiny:q4_0";
    const options: EstimateOptions = { contexts: [256, 1024], flashAttention: true, kvCacheType: "q8_0" };
    const fromSpec = await estimateMemory({ whatIf: spec }, options);
    // The file `run --what-if gemma3:tiny:q4_0` writes: same shape, seeded weights, the what-if label as its name.
    const file = path.join(dir, "shape.gguf");
    await synthesizeModel({ arch: "gemma3", preset: "tiny", type: "q4_0", out: file, name: fromSpec.file });
    const fromFile = await estimateMemory(file, options);
    assert.equal(fromSpec.file, "what-if gemma3 tiny q4_0");
    assert.equal(fromSpec.fileFingerprint, fromFile.fileFingerprint);
    assert.deepEqual(fromSpec.info, fromFile.info);
    assert.deepEqual(fromSpec.settings, { kvCacheType: "q8_0", flashAttention: true, batchSize: 512, mmap: true });
    assert.deepEqual(fromSpec.estimates, fromFile.estimates);
    // A sliding-window shape: the window's cells are counted, the micro-batch is batch + 1 (capped at the context).
    assert.ok(fromSpec.estimates.every((e) => e.slidingWindowCells !== null));
    assert.deepEqual(
      fromSpec.estimates.map((e) => e.ubatch),
      [256, 513],
    );
    await assert.rejects(estimateMemory({ whatIf: "llama:nope:q4_0" }), {
      name: "UsageError",
      message: /unknown preset 'nope'/,
    });
    await assert.rejects(estimateMemory({ whatIf: "seed" }), UsageError);
    await assert.rejects(estimateMemory({ whatIf: 7 } as unknown as { whatIf: string }), UsageError);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("readModelInfo and estimateMemory on a synthesised model; a read-only history that does not exist is null", async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "gguf-bench-api-"));
  try {
    const file = path.join(dir, "tiny.gguf");
    const made = await synthesizeModel({ arch: "llama", preset: "tiny", type: "f32", out: file });
    const info = await readModelInfo(file);
    assert.equal(info.architecture, "llama");
    assert.equal(info.parameterCount, made.parameterCount);
    const estimate = await estimateMemory(file, { contexts: [256, 512] });
    assert.deepEqual(
      estimate.estimates.map((e) => e.contextSize),
      [256, 512],
    );
    const [small, large] = estimate.estimates;
    assert.ok(small?.totalBytes && large?.totalBytes && large.totalBytes > small.totalBytes);
    await assert.rejects(estimateMemory(file, { kvCacheType: "q8_0" }), UsageError);
    // Options from plain JavaScript are checked, never turned into NaN totals judged "fits" (trial18 F8).
    await assert.rejects(estimateMemory(file, { kvCacheType: "q4_0" as "f16" }), {
      name: "UsageError",
      message: 'kvCacheType must be "f16" or "q8_0", got "q4_0"',
    });
    await assert.rejects(estimateMemory(file, { flashAttention: "yes" as unknown as boolean }), UsageError);
    await assert.rejects(estimateMemory(file, { contexts: ["1024" as unknown as number] }), {
      message: 'context sizes and batch size must be positive integers, got "1024"',
    });
    await assert.rejects(readModelInfo(path.join(dir, "missing.gguf")), GgufError);
    assert.equal(await openHistoryStore(path.join(dir, "none.db"), { readOnly: true }), null);
    assert.equal(existsSync(path.join(dir, "none.db")), false);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
