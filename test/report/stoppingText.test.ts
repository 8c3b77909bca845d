import assert from "node:assert/strict";
import { test } from "node:test";
import { renderCsv } from "../../src/report/renderCsv.ts";
import { renderHtml } from "../../src/report/renderHtml.ts";
import { renderJson } from "../../src/report/renderJson.ts";
import { renderMarkdown } from "../../src/report/renderMarkdown.ts";
import { stoppingText } from "../../src/report/stoppingText.ts";
import type { RunStopping } from "../../src/results/types.ts";
import { buildRun } from "../helpers/resultsBuilder.ts";

const auto = (reason: RunStopping["reason"], runsPerPrompt: number): RunStopping => ({
  mode: "auto",
  runsPerPrompt,
  reason,
  targetCiFraction: 0.05,
  ciHalfWidthFraction: { generationTokensPerSecond: 0.0312, promptTokensPerSecond: 0.0421 },
  timedMs: 12_000,
});

test("how many runs each figure took and why they stopped, in one sentence", () => {
  assert.equal(
    stoppingText(auto("ci-within-target", 7)),
    "7 timed runs per prompt (--runs auto): stopped when the 95% CI came within ±5.0% of the mean (generation speed (tokens/s) ±3.1%, prompt speed (tokens/s) ±4.2%).",
  );
  assert.equal(
    stoppingText(auto("max-runs", 10)),
    "10 timed runs per prompt (--runs auto): stopped at the --max-runs cap before the 95% CI came within ±5.0% (generation speed (tokens/s) ±3.1%, prompt speed (tokens/s) ±4.2%).",
  );
  assert.match(
    stoppingText(auto("time-budget", 4)) ?? "",
    /^4 timed runs per prompt \(--runs auto\): stopped at the --max-runs-time budget/,
  );
  const fixed: RunStopping = { ...auto("fixed", 3), mode: "fixed", targetCiFraction: null };
  assert.equal(stoppingText(fixed), "3 timed runs per prompt (--runs 3).");
  assert.equal(stoppingText(null), null);
});

test("the report prints it beside the model's statistics, and the methodology states the policy", () => {
  const run = buildRun();
  run.config.autoRuns = { targetCiFraction: 0.05, maxRuns: 10, timeBudgetMs: 60_000 };
  const [model] = run.models;
  if (!model?.inference) throw new Error("fixture without inference");
  model.inference.stopping = auto("ci-within-target", 7);
  const md = renderMarkdown([run]);
  assert.ok(md.includes("7 timed runs per prompt (--runs auto): stopped when the 95% CI came within ±5.0%"), md);
  // The summary table's "Runs per prompt" column: the count and the short reason.
  assert.match(md, /^\| stories260K\.gguf +\|.*\| +7 \(target met\) \| ok +\|$/m);
  assert.match(md, /3–10 timed runs \(--runs auto, ±5\.0%\)/);
  assert.match(
    md,
    /\| Timed runs per prompt +\| auto: at least 3, then more until the 95% CI of generation and prompt tokens\/s is within ±5\.0% of the mean, at most 10 per prompt or 60 s/,
  );
});

test("every format's summary says how many runs each figure took and why they stopped", async () => {
  const run = buildRun({
    models: [
      { label: "steady.gguf", samples: { generationTokensPerSecond: [500, 501, 502, 500] } },
      { label: "noisy.gguf", samples: { generationTokensPerSecond: [300, 500, 200, 450] } },
      { label: "old.gguf", samples: { generationTokensPerSecond: [100, 101] } },
      { label: "crashed.gguf", status: "failed" },
    ],
  });
  run.config.autoRuns = { targetCiFraction: 0.05, maxRuns: 4, timeBudgetMs: 60_000 };
  const [steady, noisy] = run.models;
  if (!steady?.inference || !noisy?.inference) throw new Error("fixture without inference");
  steady.inference.stopping = auto("ci-within-target", 4);
  noisy.inference.stopping = auto("max-runs", 4);
  // old.gguf: a file from before --runs auto (stopping null): the count comes from its timed samples.

  const md = renderMarkdown([run]);
  assert.match(md, /^\| steady\.gguf +\|.*\| +4 \(target met\) \| ok +\|$/m);
  assert.match(md, /^\| noisy\.gguf +\|.*\| +4 \(run cap\) \| ok +\|$/m);
  assert.match(md, /^\| old\.gguf +\|.*\| +2 \| ok +\|$/m);
  assert.match(md, /^\| crashed\.gguf +\|.*\| +—[¹²³⁴⁵⁶⁷⁸⁹]* \| failed: crash \(SIGSEGV\) +\|$/m);

  const html = await renderHtml([run]);
  const summary = html.slice(html.indexOf('<table class="sortable" id="summary">'));
  const table = summary.slice(0, summary.indexOf("</table>"));
  assert.match(table, /<th[^>]*><button type="button">Runs per prompt<\/button><\/th>/);
  assert.match(table, /<td[^>]*>4 \(target met\)<\/td>/);
  assert.match(table, /<td[^>]*>4 \(run cap\)<\/td>/);

  const json = JSON.parse(renderJson([run]));
  assert.deepEqual(
    json.analysis.cases.map((c: { name: string; runs: unknown }) => [c.name, c.runs]),
    [
      ["steady.gguf", { runsPerPrompt: 4, mode: "auto", reason: "ci-within-target" }],
      ["noisy.gguf", { runsPerPrompt: 4, mode: "auto", reason: "max-runs" }],
      ["old.gguf", { runsPerPrompt: 2, mode: null, reason: null }],
      ["crashed.gguf", null],
    ],
  );

  const csv = renderCsv([run])
    .split("\r\n")
    .filter((line) => line.includes(",runs_"));
  assert.deepEqual(
    csv.map((line) => line.split(",").slice(2).join(",")),
    [
      "steady.gguf,false,inference,512,,,runs_per_prompt,value,4,runs,",
      "steady.gguf,false,inference,512,,,runs_stop_reason,value,ci-within-target,,",
      "noisy.gguf,false,inference,512,,,runs_per_prompt,value,4,runs,",
      "noisy.gguf,false,inference,512,,,runs_stop_reason,value,max-runs,,",
      "old.gguf,false,inference,512,,,runs_per_prompt,value,2,runs,",
      "old.gguf,false,inference,512,,,runs_stop_reason,value,,,",
    ],
  );
});
