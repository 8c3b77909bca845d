import assert from "node:assert/strict";
import { test } from "node:test";
import { renderMarkdown } from "../../src/report/renderMarkdown.ts";
import { runResultsSchema } from "../../src/results/schema.ts";
import { LLAMA_CPP_COMMIT_NOT_RECORDED, type ModelResult } from "../../src/results/types.ts";
import { validateRunResults } from "../../src/results/validateRunResults.ts";
import { CI_METHOD_TEXT, summarize as summarizeStats } from "../../src/stats/summary.ts";
import { buildRun } from "../helpers/resultsBuilder.ts";

test("the environment table shows what decides speed: CPU identity, SIMD, caches, llama.cpp's system info", () => {
  const md = renderMarkdown([buildRun()]);
  assert.match(md, /^\| CPU +\| Test CPU 9000 \(family 26, model 2, stepping 1\) +\|$/m);
  assert.match(md, /^\| SIMD +\| AVX2, AVX512F +\|$/m);
  assert.match(md, /^\| Caches +\| L1d 48 KiB, L1i 32 KiB, L2 1 MiB, L3 32 MiB \(test\) +\|$/m);
  // llama.cpp's line is full of '|': escaped so the table keeps its two columns.
  assert.match(
    md,
    /^\| llama\.cpp system info \| CPU : SSE3 = 1 \\\| AVX2 = 1 \\\| AVX512 = 1 \\\| REPACK = 1 \\\| +\|$/m,
  );
});

test("confidence intervals: the Methodology row counts the run's intervals by method, the Units paragraph states the rule", () => {
  const run = buildRun();
  const model = run.models[0] as ModelResult;
  const inference = model.inference as NonNullable<ModelResult["inference"]>;
  // buildRun's default model ran once (n = 1: no interval, not counted). Positive speeds through the real stats module: log-scale (modified Cox) intervals; one figure keeps a zero (t).
  inference.summaries.generationTokensPerSecond = summarizeStats([100, 104, 98]);
  inference.summaries.promptTokensPerSecond = summarizeStats([500, 520, 490]);
  inference.summaries.outputTokens = summarizeStats([0, 2, 4]);
  assert.equal(inference.summaries.outputTokens.ciMethod, "t");
  const md = renderMarkdown([run]);
  assert.match(
    md,
    /^\| Confidence intervals +\| 95% CI of the mean: 2 by the modified Cox method on the log scale \(Olsson 2005\), 1 by Student's t with n − 1 degrees of freedom \(of 3 intervals; see Units below\) +\|$/m,
  );
  // The Units paragraph says the same rule summarize() follows, and nothing else about intervals.
  const units = md.split("\n").find((line) => line.startsWith("Units:")) as string;
  assert.ok(units.includes(CI_METHOD_TEXT.replaceAll("`", "\\`")), units);
  assert.doesNotMatch(md, /interval of the mean from Student's t/);
});

test("llama.cpp is named by its commit beside node-llama-cpp's own label; without a commit, the label and why", () => {
  const md = renderMarkdown([buildRun()]);
  assert.match(md, /, cpu backend, llama\.cpp 80fb11a \(node-llama-cpp's label b6000\)/);
  assert.match(
    md,
    /^\| llama\.cpp build +\| llama\.cpp 80fb11ac73e66d89eae2c6a91d8a77428fa733ed \(node-llama-cpp's label b6000\) +\|$/m,
  );

  const noBundle = buildRun({
    environment: {
      llamaCppCommit: null,
      llamaCppCommitNotRecordedReason: "/x/gitRelease.bundle cannot be read: no such file or directory (ENOENT)",
    },
  });
  assert.match(
    renderMarkdown([noBundle]),
    /, llama\.cpp b6000 \(node-llama-cpp's label; its commit is unknown: \/x\/gitRelease\.bundle cannot be read: no such file or directory \(ENOENT\)\)/,
  );

  // A file from before the commit was recorded: the schema's defaults say so, and a report of it as read (a
  // history database hands runs over without the defaults) says the same.
  const { llamaCppCommit: _c, llamaCppCommitNotRecordedReason: _r, ...older } = buildRun().environment;
  const json: unknown = JSON.parse(JSON.stringify({ ...buildRun(), environment: older }));
  const defaults = runResultsSchema.parse(json).environment;
  assert.deepEqual(
    [defaults.llamaCppCommit, defaults.llamaCppCommitNotRecordedReason],
    [null, LLAMA_CPP_COMMIT_NOT_RECORDED],
  );
  assert.match(
    renderMarkdown([validateRunResults(json, "older.json")]),
    /, llama\.cpp b6000 \(node-llama-cpp's label; its commit is unknown: not recorded in files written before 2026-12-01\)/,
  );
});
