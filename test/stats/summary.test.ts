import assert from "node:assert/strict";
import { test } from "node:test";
import { median, summarize } from "../../src/stats/summary.ts";

const close = (actual: number, expected: number, tolerance = 1e-9) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not ${expected} ± ${tolerance}`);

test("summary of 1..5 matches hand-computed figures", () => {
  const s = summarize([3, 1, 5, 2, 4]);
  assert.equal(s.n, 5);
  assert.equal(s.mean, 3);
  // Σ(x − 3)² = 4 + 1 + 0 + 1 + 4 = 10; sd = √(10 / 4)
  close(s.sd, Math.sqrt(2.5));
  assert.equal(s.min, 1);
  assert.equal(s.max, 5);
  assert.equal(s.median, 3);
  // t(0.975, 4) = 2.776445105 (tables); half width = t · sd / √5 = 2.776445105 · 0.707106781 = 1.963243161
  close(s.ci95Low, 3 - 1.963243161, 1e-8);
  close(s.ci95High, 3 + 1.963243161, 1e-8);
  close(s.cv, Math.sqrt(2.5) / 3);
});

test("summary of an even count: median is the mean of the two middle values", () => {
  const s = summarize([2, 4, 4, 4, 5, 5, 7, 9]);
  assert.equal(s.mean, 5);
  // Σ(x − 5)² = 9 + 1 + 1 + 1 + 0 + 0 + 4 + 16 = 32
  close(s.sd, Math.sqrt(32 / 7));
  assert.equal(s.median, 4.5);
  // t(0.975, 7) = 2.364624252; sd / √8 = √(4/7) = 0.755928946; half width 1.787491
  close(s.ci95High - s.mean, 2.364624252 * 0.755928946, 1e-8);
  close(s.mean - s.ci95Low, 2.364624252 * 0.755928946, 1e-8);
});

test("one value: no spread, the interval collapses to it", () => {
  const s = summarize([42]);
  assert.deepEqual(s, { n: 1, mean: 42, sd: 0, min: 42, max: 42, median: 42, ci95Low: 42, ci95High: 42, cv: 0 });
});

test("no values: n is 0 and every figure 0", () => {
  assert.equal(summarize([]).n, 0);
  assert.equal(summarize([]).mean, 0);
});

test("median does not reorder its input", () => {
  const values = [3, 1, 2];
  assert.equal(median(values), 2);
  assert.deepEqual(values, [3, 1, 2]);
  assert.equal(median([1, 2, 3, 10]), 2.5);
});
