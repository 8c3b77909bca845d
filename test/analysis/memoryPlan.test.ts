import assert from "node:assert/strict";
import { test } from "node:test";
import { memoryFit } from "../../src/analysis/memoryFit.ts";
import { memoryPlan, memoryPlanSource } from "../../src/analysis/memoryPlan.ts";
import type { ModelResult } from "../../src/results/types.ts";
import { summarize } from "../../src/stats/summary.ts";
import { modelWithContexts, okContext } from "./fixtureModel.ts";

const MIB = 2 ** 20;

/** The trial's case: contexts 512 and 1,024 fitted, the inference stage at 2,048 measured far below the fit's line. */
function trialModel(): ModelResult {
  const model = modelWithContexts([okContext(512, 117 * MIB, 100), okContext(1024, 141 * MIB, 150)]);
  const inference = model.inference as NonNullable<ModelResult["inference"]>;
  inference.contextSize = 2048;
  inference.summaries.peakRssBytes = summarize([90 * MIB, 96 * MIB, 94 * MIB]);
  return model;
}

test("a peak measured at the planned size is the plan, not the fit's extrapolation", () => {
  const model = trialModel();
  const fit = memoryFit(model);
  const plan = memoryPlan(model, fit, 2048);
  assert.deepEqual(plan, { kind: "measured", bytes: 96 * MIB, measuredAtTokens: 2048 });
  assert.equal(memoryPlanSource(plan), "measured at 2,048 tokens");
});

test("within the fitted span: the fit; below it a larger measured peak bounds it; beyond every measurement: extrapolated, said so", () => {
  const model = trialModel();
  const fit = memoryFit(model);
  // 141 − 117 MiB over 512 tokens: 48 KiB per token, 93 MiB at 0.
  const line = (tokens: number) => 93 * MIB + (24 * MIB * tokens) / 512;
  const inside = memoryPlan(model, fit, 768);
  assert.equal(inside.kind, "fit");
  assert.ok(inside.kind === "fit" && Math.abs(inside.bytes - line(768)) < 1);
  assert.equal(memoryPlanSource(inside), "fitted to 2 points over 512–1,024 tokens");

  assert.deepEqual(memoryPlan(model, fit, 256), { kind: "measured", bytes: 117 * MIB, measuredAtTokens: 512 });
  // Between the fitted span and the inference stage's 2,048: the measured 2,048 is the bound, not the fit.
  assert.deepEqual(memoryPlan(model, fit, 1536), { kind: "measured", bytes: 96 * MIB, measuredAtTokens: 2048 });

  const beyond = memoryPlan(model, fit, 32_768);
  assert.equal(beyond.kind, "fit");
  assert.ok(beyond.kind === "fit" && beyond.extrapolated && Math.abs(beyond.bytes - line(32_768)) < 1);
  assert.equal(memoryPlanSource(beyond), "extrapolated from 2 points over 512–1,024 tokens");
});

test("no fit and no measurement at or above the size: none, with the fit's reason", () => {
  const model = modelWithContexts([okContext(512, 117 * MIB, 100)]);
  const inference = model.inference as NonNullable<ModelResult["inference"]>;
  inference.contextSize = 512;
  const fit = memoryFit(model);
  const plan = memoryPlan(model, fit, 4096);
  assert.deepEqual(plan, { kind: "none", reason: "no fit: 1 context size(s) ran OK; a fit needs at least 2" });
  assert.equal(memoryPlanSource(plan), "not known: no fit: 1 context size(s) ran OK; a fit needs at least 2");
});
