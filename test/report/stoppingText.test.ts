import assert from "node:assert/strict";
import { test } from "node:test";
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
