import assert from "node:assert/strict";
import { test } from "node:test";
import { modelDisplayName } from "../../src/analysis/modelDisplayName.ts";
import { renderMarkdown } from "../../src/report/renderMarkdown.ts";
import { whatIfLabel } from "../../src/whatif/parseWhatIf.ts";
import { buildRun } from "../helpers/resultsBuilder.ts";

test("a what-if model is marked synthetic once in every heading and table, old labels included", () => {
  const fresh = whatIfLabel({ arch: "llama", preset: "7b", type: "q4_0" });
  assert.equal(fresh, "what-if llama 7b q4_0");
  // results.json files written before the fix carry the marker in the label.
  const old = "what-if qwen2 tiny q8_0 (synthetic)";
  const run = buildRun({ models: [{ label: fresh }, { label: old }] });
  for (const model of run.models) model.synthetic = true;
  const markdown = renderMarkdown([run]);
  assert.doesNotMatch(markdown, /\(synthetic\) \(synthetic\)/);
  assert.match(markdown, /^#+ what-if llama 7b q4\\?_0 \(synthetic\)$/m);
  assert.match(markdown, /^#+ what-if qwen2 tiny q8\\?_0 \(synthetic\)$/m);
  assert.equal(modelDisplayName("stories260K.gguf", false), "stories260K.gguf");
  assert.equal(modelDisplayName("demo-llama-25m", true), "demo-llama-25m (synthetic)");
});
