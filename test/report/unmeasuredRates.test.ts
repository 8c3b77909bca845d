import assert from "node:assert/strict";
import { test } from "node:test";
import { analyzeRuns } from "../../src/analysis/caseAnalysis.ts";
import { renderCsv } from "../../src/report/renderCsv.ts";
import { renderMarkdown } from "../../src/report/renderMarkdown.ts";
import type { ContextResult } from "../../src/results/types.ts";
import { buildInference } from "../../src/runner/assembleModelResults.ts";
import { buildRun } from "../helpers/resultsBuilder.ts";

/** A context size that ran, its generated tokens all in one chunk (a generation span of 0 ms): no speed. */
const oneChunkContext: ContextResult = {
  contextSize: 1024,
  status: "ok",
  promptTokens: 1000,
  outputTokens: 16,
  promptMs: 400,
  generationMs: 0,
  totalMs: 410,
  ttftMs: 410,
  promptTokensPerSecond: 2500,
  generationTokensPerSecond: null,
  afterCreateRssBytes: 50e6,
  peakRssBytes: 60e6,
  endRssBytes: 60e6,
};

test("a speed measured in some runs only: the statistics leave the rest out and say how many and why", () => {
  const run = buildRun({
    models: [
      { label: "partly.gguf", contexts: [oneChunkContext], samples: { generationTokensPerSecond: [500, 510, 520] } },
    ],
  });
  const model = run.models[0];
  assert.ok(model?.inference);
  const [warmup, first, ...rest] = model.inference.samples;
  assert.ok(warmup && first);
  const samples = [warmup, { ...first, generationMs: 0, generationTokensPerSecond: null }, ...rest];
  model.inference = buildInference(512, samples, null);
  assert.equal(model.inference.summaries.generationTokensPerSecond.n, 2, "the null run is left out");
  assert.equal(model.inference.summaries.generationTokensPerSecond.mean, 515);

  const markdown = renderMarkdown([run]);
  assert.match(
    markdown,
    /Generation speed: 1 of 3 timed runs not measured \(left out of the statistics\): the tokens arrived at once/,
  );
  // The context table: a dash, and the note beside it says why.
  assert.match(markdown, /\| +1,024 \| ok .*\| +— \| .*generation speed not measured: the tokens arrived at once/);
  const csv = renderCsv([run]);
  assert.match(csv, /,contexts,1024,,,generation_tokens_per_second,value,,tokens\/s,\r\n/);
  assert.match(csv, /,contexts,1024,,,generation_tokens_per_second,not_measured,the tokens arrived at once/);
});

test("no generation speed measured at all: never recommended on a 0, rejected with the reason", () => {
  const run = buildRun({
    models: [{ label: "measured.gguf" }, { label: "unmeasured.gguf" }],
  });
  const model = run.models[1];
  assert.ok(model?.inference);
  model.inference = buildInference(
    512,
    model.inference.samples.map((s) => ({ ...s, outputTokens: 1, generationMs: 0, generationTokensPerSecond: null })),
    null,
  );
  const [chat] = analyzeRuns([run]).recommendations;
  assert.ok(chat);
  assert.deepEqual(
    chat.rejected.find((r) => r.name.startsWith("unmeasured")),
    {
      name: "unmeasured.gguf",
      reason:
        "generation speed not measured: no token to time in the span (a single output token comes with the prefill)",
    },
  );
  assert.notEqual(chat.choice?.name, "unmeasured.gguf");
});
