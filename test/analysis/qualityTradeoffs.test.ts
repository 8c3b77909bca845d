import assert from "node:assert/strict";
import { test } from "node:test";
import { paretoOptimal } from "../../src/analysis/qualityTradeoffs.ts";

test("Pareto front of two objectives to minimise: dominated points are off it, ties and missing values handled", () => {
  // (kld, memory): A (0.1, 10) B (0.01, 20) C (0.05, 25: worse than B on both) D (0.1, 10: the same as A) E (0.001, null)
  const flags = paretoOptimal([
    { a: 0.1, b: 10 },
    { a: 0.01, b: 20 },
    { a: 0.05, b: 25 },
    { a: 0.1, b: 10 },
    { a: 0.001, b: null },
  ]);
  assert.deepEqual(flags, [true, true, false, true, false]);
  assert.deepEqual(paretoOptimal([{ a: 1, b: 1 }]), [true]);
});
