import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { loadResultsFile } from "../../src/results/loadResultsFile.ts";
import type { RunResults } from "../../src/results/types.ts";
import { summarize } from "../../src/stats/summary.ts";
import { tinyModel } from "../helpers/tinyModel.ts";
import { runCli, SMALL_RUN } from "./helpers.ts";

test("gguf-bench run on a model file with --runs auto: the full protocol, results that make sense", async () => {
  const out = await mkdtemp(path.join(os.tmpdir(), "gguf-bench-e2e-"));
  try {
    const model = await tinyModel(out, "model.gguf");
    // SMALL_RUN with --runs auto instead of 2: a loose target, so the minimum of 3 runs usually suffices.
    const small = SMALL_RUN.flatMap((arg, i) => (arg === "--runs" || SMALL_RUN[i - 1] === "--runs" ? [] : [arg]));
    const { code, stdout, stderr } = await runCli([
      "run",
      model,
      ...small,
      "--runs",
      "auto",
      "--target-ci",
      "50",
      "--max-runs",
      "4",
      "--contexts",
      "256,512,4096",
      "--out",
      out,
      "--json",
    ]);
    assert.equal(code, 0, stderr);
    const results = JSON.parse(stdout) as RunResults;
    const onDisk = JSON.parse(await readFile(path.join(out, "results.json"), "utf8")) as RunResults;
    assert.deepEqual(onDisk, results, "--json prints exactly results.json");
    // The file passes the schema every reader uses.
    assert.equal((await loadResultsFile(path.join(out, "results.json"))).runId, results.runId);

    assert.equal(results.environment.nodeLlamaCpp, "3.21.1");
    assert.equal(results.environment.backend, "cpu");
    assert.equal(results.config.threadsSource, "--threads 1");
    assert.deepEqual(results.config.autoRuns, { targetCiFraction: 0.5, maxRuns: 4, timeBudgetMs: 60_000 });
    const [result] = results.models;
    assert.ok(result);
    assert.equal(result.status, "ok", JSON.stringify(result.errors));
    assert.equal(result.process.outcome, "ok");
    assert.equal(result.synthetic, false);
    assert.equal(result.info.architecture, "llama");

    const load = result.load;
    assert.ok(load && load.durationMs > 0 && load.firstDecodeMs > 0);
    assert.ok(load.peakRssBytes >= load.after.vmRssBytes, "peak during load ≥ RSS after load");
    assert.ok(
      load.before.vmRssBytes > 0 && load.before.rssAnonBytes + load.before.rssFileBytes <= load.before.vmRssBytes,
    );

    const inference = result.inference;
    assert.ok(inference);
    assert.equal(inference.contextSize, 256);
    // --runs auto: how many runs and why they stopped is recorded, and the samples are whole rounds.
    const stopping = inference.stopping ?? assert.fail("no stopping record");
    assert.equal(stopping.mode, "auto");
    assert.ok(stopping.runsPerPrompt >= 3 && stopping.runsPerPrompt <= 4, JSON.stringify(stopping));
    assert.ok(stopping.reason === "ci-within-target" || stopping.reason === "max-runs", stopping.reason);
    assert.equal(inference.samples.length, 3 * (1 + stopping.runsPerPrompt));
    const timed = inference.samples.filter((s) => !s.warmup);
    for (const s of timed) {
      assert.ok((s.generationTokensPerSecond ?? 0) > 0 && (s.promptTokensPerSecond ?? 0) > 0);
      assert.ok(s.outputTokens > 0 && s.outputTokens <= 8);
      assert.ok((s.peakRssBytes ?? 0) >= load.after.vmRssBytes * 0.5);
    }
    // The statistics are those of the timed samples (warm-up excluded).
    const gen = inference.summaries.generationTokensPerSecond;
    assert.deepEqual(gen, summarize(timed.map((s) => s.generationTokensPerSecond ?? Number.NaN)));
    assert.equal(gen.n, 3 * stopping.runsPerPrompt);
    assert.equal(gen.ciMethod, "log-cox");
    assert.ok(gen.min <= gen.median && gen.median <= gen.max && gen.ci95Low <= gen.mean && gen.mean <= gen.ci95High);

    assert.deepEqual(
      result.contexts.map((c) => [c.contextSize, c.status]),
      [
        [256, "ok"],
        [512, "ok"],
        [4096, "skipped"],
      ],
    );
    for (const c of result.contexts) {
      if (c.status !== "ok") continue;
      assert.ok((c.generationTokensPerSecond ?? 0) > 0 && (c.promptTokensPerSecond ?? 0) > 0);
      assert.ok(c.promptTokens + c.outputTokens <= c.contextSize);
      assert.ok(c.peakRssBytes !== null && c.afterCreateRssBytes !== null && c.peakRssBytes >= c.afterCreateRssBytes);
    }
    assert.ok(result.cleanup && result.cleanup.releasedFraction >= 0 && result.cleanup.releasedFraction <= 1);
  } finally {
    await rm(out, { recursive: true, force: true });
  }
});
