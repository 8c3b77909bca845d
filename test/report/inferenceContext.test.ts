import assert from "node:assert/strict";
import { test } from "node:test";
import { renderMarkdown } from "../../src/report/renderMarkdown.ts";
import { buildRun } from "../helpers/resultsBuilder.ts";
import { markdownSection } from "./reportFixtures.ts";

/** A run asked for 2,048 tokens of inference context; `used` are the sizes each model's inference stage ran at. */
function runWith(used: number[]) {
  const run = buildRun({ models: used.map((_, i) => ({ label: `m${i}.gguf` })) });
  run.config.inferenceContextSize = 2048;
  used.forEach((size, i) => {
    const inference = run.models[i]?.inference;
    if (!inference) throw new Error("fixture");
    inference.contextSize = size;
  });
  return renderMarkdown([run]);
}

test("inference context clamped for every model: Summary and Methodology print the size used, and the one asked", () => {
  const markdown = runWith([1024, 1024]);
  const summary = markdownSection(markdown, "Summary");
  assert.match(summary, /Inference stage: context 1,024 tokens \(2,048 asked, clamped to the training context\), /);
  assert.doesNotMatch(summary, /2,048 tokens of context/);
  assert.match(markdown, /\| Inference context +\| 1,024 tokens \(2,048 asked, clamped to the training context\) +\|/);
});

test("inference context clamped for some models: both sizes, and which ran the smaller", () => {
  const markdown = runWith([2048, 1024]);
  const expected = "2,048 tokens, 1,024 for models trained on less \\(clamped to the training context\\)";
  assert.match(markdownSection(markdown, "Summary"), new RegExp(`Inference stage: context ${expected}, `));
  assert.match(markdown, new RegExp(`\\| Inference context +\\| ${expected} +\\|`));
});

test("inference context as asked: one size", () => {
  const markdown = runWith([2048]);
  assert.match(markdownSection(markdown, "Summary"), /Inference stage: context 2,048 tokens, 1 prompt/);
  assert.match(markdown, /\| Inference context +\| 2,048 tokens +\|/);
});
