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

test("the inference stage's peak (short prompts) does not stand for its size: the fit does, above every smaller peak", () => {
  const model = trialModel();
  const fit = memoryFit(model);
  // 141 − 117 MiB over 512 tokens: 48 KiB per token, 93 MiB at 0; the inference stage read 96 MiB at 2,048.
  const line = (tokens: number) => 93 * MIB + (24 * MIB * tokens) / 512;
  const plan = memoryPlan(model, fit, 2048);
  assert.ok(plan.kind === "fit" && plan.extrapolated && Math.abs(plan.bytes - line(2048)) < 1);
  assert.equal(memoryPlanSource(plan), "extrapolated from 2 points over 512–1,024 tokens");
});

test("a context-stage peak at the planned size is the plan; within the fitted span the fit; below it a larger peak bounds it", () => {
  const model = trialModel();
  const fit = memoryFit(model);
  const line = (tokens: number) => 93 * MIB + (24 * MIB * tokens) / 512;
  assert.deepEqual(memoryPlan(model, fit, 1024), { kind: "measured", bytes: 141 * MIB, measuredAtTokens: 1024 });
  assert.equal(memoryPlanSource(memoryPlan(model, fit, 1024)), "measured at 1,024 tokens");
  const inside = memoryPlan(model, fit, 768);
  assert.ok(inside.kind === "fit" && !inside.extrapolated && Math.abs(inside.bytes - line(768)) < 1);
  assert.equal(memoryPlanSource(inside), "fitted to 2 points over 512–1,024 tokens");
  assert.deepEqual(memoryPlan(model, fit, 256), { kind: "measured", bytes: 117 * MIB, measuredAtTokens: 512 });
  // Between the fitted span and the inference stage's 2,048: the fit, not the inference stage's lower peak.
  const between = memoryPlan(model, fit, 1536);
  assert.ok(between.kind === "fit" && between.extrapolated && Math.abs(between.bytes - line(1536)) < 1);
});

test("trial17: an inference peak at the training context below the context stage's smaller sizes never plans it", () => {
  // gemma3 tiny: contexts 256 and 512 read 0.126 and 0.131 GiB; the inference stage at 1,024 (50-token prompts) 0.12.
  const model = modelWithContexts([okContext(256, 126 * MIB, 100), okContext(512, 131 * MIB, 100)]);
  const inference = model.inference as NonNullable<ModelResult["inference"]>;
  inference.contextSize = 1024;
  inference.summaries.peakRssBytes = summarize([120 * MIB, 119 * MIB]);
  const plan = memoryPlan(model, memoryFit(model), 1024);
  assert.equal(plan.kind, "fit");
  assert.ok(plan.bytes >= 131 * MIB, `${plan.bytes / MIB} MiB is below the 131 MiB measured at 512`);
});

test("a fit below a peak measured at a smaller size: that peak is the plan, named with its stage", () => {
  // Least squares through (256, 100), (512, 140), (1,024, 141) MiB gives 134.9 MiB at 768, below 512's 140.
  const model = modelWithContexts([
    okContext(256, 100 * MIB, 100),
    okContext(512, 140 * MIB, 100),
    okContext(1024, 141 * MIB, 100),
  ]);
  const fit = memoryFit(model);
  const fitted = memoryPlan(model, fit, 768);
  assert.deepEqual(fitted, { kind: "floor", bytes: 140 * MIB, measuredAtTokens: 512, stage: "contexts" });
  assert.equal(memoryPlanSource(fitted), "at least the peak measured at 512 tokens (context stage)");
  // An inference peak read with less context than planned is a floor too.
  const inference = model.inference as NonNullable<ModelResult["inference"]>;
  inference.contextSize = 600;
  inference.summaries.peakRssBytes = summarize([150 * MIB]);
  assert.deepEqual(memoryPlan(model, fit, 768), {
    kind: "floor",
    bytes: 150 * MIB,
    measuredAtTokens: 600,
    stage: "inference",
  });
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
