import assert from "node:assert/strict";
import { test } from "node:test";
import type { ModelInfo } from "../../src/gguf/modelInfo.ts";
import { renderMarkdown } from "../../src/report/renderMarkdown.ts";
import { describePlan } from "../../src/suite/describePlan.ts";
import { buildRun } from "../helpers/resultsBuilder.ts";
import { tinyModelInfos } from "../helpers/tinyModel.ts";
import { markdownSection } from "./reportFixtures.ts";

const infos = tinyModelInfos(["gemma3", "gpt-oss", "llama"]);

function report(engine: "node-llama-cpp" | "llama-server"): string {
  const run = buildRun({ models: ["gemma3", "gpt-oss", "llama"].map((label) => ({ label, settings: { engine } })) });
  for (const m of run.models) m.info = infos[m.label] as ModelInfo;
  return renderMarkdown([run]);
}

test("per model: the sliding-window cells node-llama-cpp really keeps (window + 513, padded to 256), one layer said as one", () => {
  const md = report("node-llama-cpp");
  const gemma = infos.gemma3?.slidingWindow;
  const gptOss = infos["gpt-oss"]?.slidingWindow;
  assert.equal(gemma, 128);
  assert.equal(gptOss, 64);
  // pad256(64 + 513) and pad256(128 + 513) = 768 cells, as llama-server -lv 4 logs for these files (trial17).
  assert.match(md, /5 sliding-window layers hold 768 cells \(window 128 \+ micro-batch 513, padded to 256\)/);
  assert.match(md, /1 sliding-window layer holds 768 cells \(window 64 \+ micro-batch 513, padded to 256\)/);
  assert.doesNotMatch(md, /keep about|1 sliding-window layers/);
  // The settings say the micro-batch that ran: 513 for the sliding-window models, 512 for llama.
  const summary = markdownSection(md, "Summary");
  assert.match(
    summary,
    /Micro-batch size 512 \(513 for the sliding-window models: node-llama-cpp adds 1 for their cache\)/,
  );
  assert.match(
    md,
    /\| Micro-batch size +\| 512 \(513 for the sliding-window models: node-llama-cpp adds 1 for their cache\) +\|/,
  );
});

test("llama-server runs --ubatch-size as given: 128 + 512 cells, padded to 768, and no +1 note", () => {
  const md = report("llama-server");
  assert.match(md, /5 sliding-window layers hold 768 cells \(window 128 \+ micro-batch 512, padded to 256\)/);
  assert.doesNotMatch(md, /node-llama-cpp adds 1/);
});

test("run --dry-run: node-llama-cpp cases say the micro-batch a sliding-window model runs", () => {
  const run = buildRun();
  const settings = run.models[0]?.settings;
  if (!settings) throw new Error("fixture");
  const groups = [
    {
      modelIndex: 0,
      load: { engine: "node-llama-cpp", mmap: true, gpuLayers: 0, cache: "unknown" },
      cases: [settings],
    },
  ];
  const text = describePlan(["m.gguf"], groups as never, { ...run.config, notes: [] });
  assert.match(text, /batch 512, ubatch 512 \(513 for a sliding-window model\), flash-attn off/);
});
