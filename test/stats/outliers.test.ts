import assert from "node:assert/strict";
import { test } from "node:test";
import { findOutliers, modifiedZScores } from "../../src/stats/outliers.ts";

const close = (actual: number, expected: number) =>
  assert.ok(Math.abs(actual - expected) < 1e-9, `${actual} is not ${expected}`);

test("modified z-scores with a non-zero MAD", () => {
  // median 11; |x − 11| = 1, 0.5, 0, 0, 19; MAD = median(0, 0, 0.5, 1, 19) = 0.5; scale 1.4826 · 0.5 = 0.7413
  const z = modifiedZScores([10, 10.5, 11, 11, 30]);
  close(z[0] as number, 1 / 0.7413);
  close(z[1] as number, 0.5 / 0.7413);
  close(z[2] as number, 0);
  close(z[4] as number, 19 / 0.7413); // 25.63
  assert.deepEqual(findOutliers([10, 10.5, 11, 11, 30]), [4]);
});

test("MAD of 0 falls back to the mean absolute deviation", () => {
  // median 5; deviations 0, 0, 0, 0, 4; MAD 0; mean AD 0.8; scale 1.253314 · 0.8 = 1.0026512; z = 3.98942
  const z = modifiedZScores([5, 5, 5, 5, 9]);
  close(z[4] as number, 4 / 1.0026512);
  assert.deepEqual(findOutliers([5, 5, 5, 5, 9]), [4]);
});

test("equal values have no outliers", () => {
  assert.deepEqual(modifiedZScores([7, 7, 7]), [0, 0, 0]);
  assert.deepEqual(findOutliers([7, 7, 7]), []);
  assert.deepEqual(findOutliers([]), []);
});

test("moderate spread is not flagged", () => {
  // median 10; deviations 1, 0, 1, 2; MAD 1; largest z = 2 / 1.4826 = 1.349
  assert.deepEqual(findOutliers([9, 10, 11, 12]), []);
});
