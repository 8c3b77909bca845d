import assert from "node:assert/strict";
import { test } from "node:test";
import { renderMarkdown } from "../../src/report/renderMarkdown.ts";
import { buildRun, okContext } from "../helpers/resultsBuilder.ts";
import { markdownSection } from "./reportFixtures.ts";

test("Memory to plan for: a fit below the inference stage's peak is raised to it, named; an extrapolation says from how many points over which range", () => {
  // Contexts 512 and 1,024 fitted; the inference stage ran at 2,048 (its peaks 50,000,000–50,002,000 bytes).
  const run = buildRun({
    models: [
      { label: "m.gguf", contexts: [okContext(512, 100), okContext(1024, 100)], samples: { totalMs: [1, 2, 3] } },
    ],
  });
  const model = run.models[0];
  if (!model?.inference) throw new Error("fixture");
  model.inference.contextSize = 2048;
  const plan = markdownSection(renderMarkdown([run]), "Memory to plan for");
  const row = plan.split("\n").find((l) => l.startsWith("| m.gguf")) ?? "";
  // The fit's line gives 46,000,000 + 2,048 × 1,000 bytes at 2,048, below the inference stage's 50,002,000 there:
  // the plan is that peak, said to be a lower bound from the inference stage.
  const atLeast = "0\\.05 \\(at least the peak measured at 2,048 tokens \\(inference stage\\)\\)";
  assert.match(row, new RegExp(`^\\| m\\.gguf +\\| +${atLeast} \\|`));
  // The training context (2,048 in the builder's metadata) is the same size.
  assert.match(row, /\| +0\.05 \(2K tokens, at least the peak measured at 2,048 tokens \(inference stage\)\) \|/);
  // 32K is beyond every measurement (46,000,000 + 1,000 × 32,768 bytes = 0.07 GiB): the fit, extrapolated, with its points and range.
  assert.match(row, /\| +0\.07 \(beyond training context, extrapolated from 2 points over 512–1,024 tokens\) \|/);
  assert.match(plan, /a peak the context stage measured at that size \(the context filled\) when there is one/);
});

test("Memory to plan for: without any figure, each — carries the reason as a footnote", () => {
  const run = buildRun({ models: [{ label: "one.gguf", contexts: [okContext(512, 100)] }] });
  const plan = markdownSection(renderMarkdown([run]), "Memory to plan for");
  const row = plan.split("\n").find((l) => l.startsWith("| one.gguf")) ?? "";
  assert.match(row, /\| +—¹ \|/);
  assert.doesNotMatch(plan, /\| +— \|/);
  assert.match(plan, /^- —¹ not measured: no fit: 1 context size\(s\) ran OK; a fit needs at least 2\.$/m);
});
