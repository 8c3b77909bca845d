import assert from "node:assert/strict";
import { test } from "node:test";
import type { ModelInfo } from "../../src/gguf/modelInfo.ts";
import { renderMarkdown } from "../../src/report/renderMarkdown.ts";
import { buildRun } from "../helpers/resultsBuilder.ts";
import { tinyModelInfos } from "../helpers/tinyModel.ts";

const infos = tinyModelInfos(["deepseek2", "llama"]);

test("report: an MLA model's architecture table gives its one cached K row and no V length; others keep K / V", () => {
  const run = buildRun({ models: [{ label: "deepseek2" }, { label: "llama" }] });
  for (const m of run.models) m.info = infos[m.label] as ModelInfo;
  const md = renderMarkdown([run]).replaceAll("\\_", "_"); // Markdown escapes the underscores
  // deepseek2 tiny: kv_lora_rank 256 + RoPE dims 32; llama.cpp allocates no V cache for MLA.
  assert.match(md, /\| MLA cache row +\| 288 elements per layer \(kv_lora_rank 256 \+ RoPE dims 32\), no V cached +\|/);
  assert.doesNotMatch(md, /\| Head dimension \(K \/ V\) +\| 288 \/ 256/);
  // llama tiny: 64 / 4 heads = 16.
  assert.match(md, /\| Head dimension \(K \/ V\) +\| 16 \/ 16 +\|/);
  assert.equal(md.match(/\| MLA cache row /g)?.length, 1);
});
