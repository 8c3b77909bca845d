import assert from "node:assert/strict";
import { test } from "node:test";
import { renderMarkdown } from "../../src/report/renderMarkdown.ts";
import type { RunResults } from "../../src/results/types.ts";
import { buildRun } from "../helpers/resultsBuilder.ts";
import { markdownSection } from "./reportFixtures.ts";

const MIB = 1024 * 1024;

/**
 * One model on both engines as trial 16 measured it: the worker 93 MiB before load and 96 MiB at its peak, the
 * server 2.5 MiB right after it started and 24 MiB at its peak; in-process 5 tokens/s, the server 660.
 */
function twoEngines(): RunResults {
  const run = buildRun({
    models: [
      {
        label: "m.gguf",
        fingerprint: "fp",
        settings: { engine: "node-llama-cpp" },
        samples: { generationTokensPerSecond: [5, 5.5], peakRssBytes: [96 * MIB, 96 * MIB] },
      },
      {
        label: "m.gguf",
        fingerprint: "fp",
        settings: { engine: "llama-server" },
        samples: { generationTokensPerSecond: [660, 670], peakRssBytes: [24 * MIB, 24 * MIB] },
      },
    ],
  });
  run.config.sweep.engine = ["node-llama-cpp", "llama-server"];
  const [inProcess, server] = run.models;
  if (!inProcess?.load || !server?.load || !server.inference) throw new Error("fixture");
  inProcess.load.before = { ...inProcess.load.before, vmRssBytes: 93 * MIB };
  server.load.before = { ...server.load.before, vmRssBytes: 2.5 * MIB };
  for (const s of server.inference.samples)
    s.server = { promptTokens: 32, promptMs: 10, predictedTokens: 64, predictedMs: 95 };
  return run;
}

test("engines side by side: memory above each process's own pre-load baseline, and how Load is timed per engine", () => {
  const engines = markdownSection(renderMarkdown([twoEngines()]), "Engines side by side");
  assert.match(engines, /\| Peak memory \(MiB\) \| Above own pre-load baseline \(MiB\) \| Load \(ms\) \|/);
  // 96 − 93 and 24 − 2.5: the worker's Node.js no longer counts against the in-process engine.
  assert.match(engines, /\| node-llama-cpp +\| .* \| +96\.0 \| +3\.0 \| +12\.5 \|/);
  assert.match(engines, /\| llama-server +\| .* \| +24\.0 \| +21\.5 \| +12\.5 \|/);
  assert.match(
    engines,
    /the worker's includes Node\.js and node-llama-cpp themselves, the server's only its own program/,
  );
  assert.match(
    engines,
    /Load per engine — node-llama-cpp: the model load call inside the worker, which was already running .*; baseline before load 93\.0 MiB; llama-server: from spawning llama-server until it answered ready .*; baseline before load 2\.5 MiB\./,
  );
  // A process whose memory was not read before the load: no baseline, a — with its reason.
  const run = twoEngines();
  const server = run.models[1];
  if (!server?.load) throw new Error("fixture");
  server.load.before = { ...server.load.before, vmRssBytes: 0 };
  const unread = markdownSection(renderMarkdown([run]), "Engines side by side");
  assert.match(unread, /\| llama-server +\| .* \| +24\.0 \| +—² \| +12\.5 \|/);
  assert.match(unread, /—² not measured: the process's memory was not read before the model was loaded/);
});

test("a busy machine: no gap is asserted between the engines and no difference called significant", () => {
  const run = twoEngines();
  const [inProcess, server] = run.models;
  if (!inProcess || !server) throw new Error("fixture");
  const stage = (otherCpuFraction: number) => [
    { stage: "load" as const, detail: "", wallMs: 500, otherCpuFraction: 0.02, unmeasuredReason: null },
    { stage: "inference" as const, detail: "3 prompts", wallMs: 2000, otherCpuFraction, unmeasuredReason: null },
  ];
  inProcess.otherCpu = stage(0.51);
  server.otherCpu = stage(0.49);
  const markdown = renderMarkdown([run]);
  const engines = markdownSection(markdown, "Engines side by side");
  assert.match(
    engines,
    /In-process generation measured 0\.8% of llama-server's own server-timed generation speed, but this is not a reliable comparison: the machine was busy \(other processes' share of the cores: up to 51\.0% during node-llama-cpp's and 49\.0% during llama-server's inference stage/,
  );
  assert.doesNotMatch(engines, /far below|engine build --binding/);
  const best = markdownSection(markdown, "Best settings for this machine");
  assert.match(
    best,
    /not reliable: the machine was busy \(other processes used up to 51\.0% of the cores during inference\)/,
  );
  assert.doesNotMatch(best, /\| yes \|/);
  // One side busy is enough; an idle pair keeps Welch's verdict and the gap.
  inProcess.otherCpu = stage(0.02);
  assert.match(markdownSection(renderMarkdown([run]), "Best settings for this machine"), /up to 49\.0% of the cores/);
  server.otherCpu = stage(0.02);
  const idle = renderMarkdown([run]);
  assert.match(markdownSection(idle, "Engines side by side"), /runs at 0\.8% of llama-server's .* stays far below/);
  assert.match(markdownSection(idle, "Best settings for this machine"), /\| yes +\|/);
});
