import assert from "node:assert/strict";
import { test } from "node:test";
import { renderMarkdown } from "../../src/report/renderMarkdown.ts";
import { buildRun, okContext } from "../helpers/resultsBuilder.ts";
import { markdownSection } from "./reportFixtures.ts";

test("Memory to plan for: a measured peak at the size is used and named; an extrapolation says from how many points over which range", () => {
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
  // 50,002,000 bytes = 0.05 GiB, measured at 2,048 (the fit's line would give 0.05 + 2,048 × 1,000 bytes).
  assert.match(row, /^\| m\.gguf +\| +0\.05 \(measured at 2,048 tokens\) \|/);
  // The training context (2,048 in the builder's metadata) is the measured size too.
  assert.match(row, /\| +0\.05 \(2K tokens, measured at 2,048 tokens\) \|/);
  // 32K is beyond every measurement (46,000,000 + 1,000 × 32,768 bytes = 0.07 GiB): the fit, extrapolated, with its points and range.
  assert.match(row, /\| +0\.07 \(beyond training context, extrapolated from 2 points over 512–1,024 tokens\) \|/);
  assert.match(plan, /a peak measured at that size \(inference or context stage\) when there is one/);
});

test("Memory to plan for: without any figure, each — carries the reason as a footnote", () => {
  const run = buildRun({ models: [{ label: "one.gguf", contexts: [okContext(512, 100)] }] });
  const plan = markdownSection(renderMarkdown([run]), "Memory to plan for");
  const row = plan.split("\n").find((l) => l.startsWith("| one.gguf")) ?? "";
  assert.match(row, /\| +—¹ \|/);
  assert.doesNotMatch(plan, /\| +— \|/);
  assert.match(plan, /^- —¹ not measured: no fit: 1 context size\(s\) ran OK; a fit needs at least 2\.$/m);
});
