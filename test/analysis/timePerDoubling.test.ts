import assert from "node:assert/strict";
import { test } from "node:test";
import { textEquivalent, WORDS_PER_PAGE, WORDS_PER_TOKEN } from "../../src/analysis/textEquivalent.ts";
import { timePerDoubling } from "../../src/analysis/timePerDoubling.ts";
import { modelWithContexts, okContext } from "./fixtureModel.ts";

test("geometric mean of per-doubling ratios, normalising a step that skips a size", () => {
  // 1024→2048: ×1.5 in one doubling; 2048→8192: ×4 in two doublings = ×2 per doubling; √(1.5 × 2) = √3.
  const model = modelWithContexts([okContext(2048, 1, 150), okContext(1024, 1, 100), okContext(8192, 1, 600)]);
  const scaling = timePerDoubling(model);
  assert.ok(scaling);
  assert.equal(scaling.pairs, 2);
  assert.ok(Math.abs(scaling.factorPerDoubling - Math.sqrt(3)) < 1e-12);
});

test("no scaling from a single OK context", () => {
  const model = modelWithContexts([
    okContext(1024, 1, 100),
    { contextSize: 2048, status: "skipped", reason: "beyond training context" },
  ]);
  assert.equal(timePerDoubling(model), null);
});

test("text equivalent uses the named assumptions", () => {
  assert.equal(WORDS_PER_TOKEN, 0.75);
  assert.equal(WORDS_PER_PAGE, 500);
  assert.deepEqual(textEquivalent(131_072), { words: 98_304, pages: 196.608 });
});
