import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { loadResultsFile } from "../../src/results/loadResultsFile.ts";
import type { RunResults } from "../../src/results/types.ts";
import { summarize } from "../../src/stats/summary.ts";
import { haveStories, runCli, SMALL_RUN, storiesPath } from "./helpers.ts";

test("gguf-bench run on stories260K: the full protocol, results that make sense", async (t) => {
  if (!haveStories) return t.skip(`stories260K.gguf not found at ${storiesPath}`);
  const out = await mkdtemp(path.join(os.tmpdir(), "gguf-bench-e2e-"));
  try {
    const { code, stdout, stderr } = await runCli([
      "run",
      storiesPath,
      ...SMALL_RUN,
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
    const [model] = results.models;
    assert.ok(model);
    assert.equal(model.status, "ok", JSON.stringify(model.errors));
    assert.equal(model.process.outcome, "ok");
    assert.equal(model.synthetic, false);
    assert.equal(model.info.architecture, "llama");

    const load = model.load;
    assert.ok(load && load.durationMs > 0 && load.firstDecodeMs > 0);
    assert.ok(load.peakRssBytes >= load.after.vmRssBytes, "peak during load ≥ RSS after load");
    assert.ok(
      load.before.vmRssBytes > 0 && load.before.rssAnonBytes + load.before.rssFileBytes <= load.before.vmRssBytes,
    );

    const inference = model.inference;
    assert.ok(inference);
    assert.equal(inference.contextSize, 256);
    assert.equal(inference.samples.length, 3 * (1 + 2));
    const timed = inference.samples.filter((s) => !s.warmup);
    for (const s of timed) {
      assert.ok(s.generationTokensPerSecond > 0 && s.promptTokensPerSecond > 0);
      assert.ok(s.outputTokens > 0 && s.outputTokens <= 8);
      assert.ok(s.peakRssBytes >= load.after.vmRssBytes * 0.5);
    }
    // The statistics are those of the timed samples (warm-up excluded).
    const gen = inference.summaries.generationTokensPerSecond;
    assert.deepEqual(gen, summarize(timed.map((s) => s.generationTokensPerSecond)));
    assert.equal(gen.n, 6);
    assert.ok(gen.min <= gen.median && gen.median <= gen.max && gen.ci95Low <= gen.mean && gen.mean <= gen.ci95High);

    assert.deepEqual(
      model.contexts.map((c) => [c.contextSize, c.status]),
      [
        [256, "ok"],
        [512, "ok"],
        [4096, "skipped"],
      ],
    );
    for (const c of model.contexts) {
      if (c.status !== "ok") continue;
      assert.ok(c.generationTokensPerSecond > 0 && c.promptTokensPerSecond > 0);
      assert.ok(c.promptTokens + c.outputTokens <= c.contextSize);
      assert.ok(c.peakRssBytes >= c.afterCreateRssBytes);
    }
    assert.ok(model.cleanup && model.cleanup.releasedFraction >= 0 && model.cleanup.releasedFraction <= 1);
  } finally {
    await rm(out, { recursive: true, force: true });
  }
});
