import assert from "node:assert/strict";
import { test } from "node:test";
import { renderMarkdown } from "../../src/report/renderMarkdown.ts";
import type { ModelResult } from "../../src/results/types.ts";
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
