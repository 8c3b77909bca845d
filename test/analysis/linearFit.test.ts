import assert from "node:assert/strict";
import { test } from "node:test";
import { linearFit } from "../../src/analysis/linearFit.ts";

test("an exact line has slope, intercept and R² 1", () => {
  const fit = linearFit([
    { x: 1, y: 3 },
    { x: 2, y: 5 },
    { x: 3, y: 7 },
  ]);
  assert.deepEqual(fit, { n: 3, intercept: 1, slope: 2, r2: 1 });
});

test("a scattered set: slope 0.5, intercept 1.5, R² 0.25 (hand-computed)", () => {
  // mean x 1, mean y 2; Sxx 2, Sxy 1, Syy 2; residuals −0.5, 1, −0.5 → SSres 1.5 → R² = 1 − 1.5/2.
  const fit = linearFit([
    { x: 0, y: 1 },
    { x: 1, y: 3 },
    { x: 2, y: 2 },
  ]);
  assert.ok(fit);
  assert.equal(fit.slope, 0.5);
  assert.equal(fit.intercept, 1.5);
  assert.equal(fit.r2, 0.25);
});

test("no fit from one point or from points that share one x", () => {
  assert.equal(linearFit([{ x: 1, y: 1 }]), null);
  assert.equal(linearFit([]), null);
  assert.equal(
    linearFit([
      { x: 4, y: 1 },
      { x: 4, y: 2 },
    ]),
    null,
  );
});
