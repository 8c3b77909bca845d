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
  // Positive values: the interval of the mean by the modified Cox method on the log scale (Olsson 2005).
  // ln x: ȳ = 0.957498349, s² = 0.403872247; centre ȳ + s²/2; SE = √(s²/5 + s⁴/8) = 0.328977…;
  // t(0.975, 4) = 2.776445105; exp(centre ∓ t·SE) (computed independently with SciPy).
  assert.equal(s.ciMethod, "log-cox");
  close(s.ci95Low, 1.3183122210029061, 1e-8);
  close(s.ci95High, 7.7099881131928285, 1e-8);
  close(s.cv, Math.sqrt(2.5) / 3);
});

test("summary of an even count: median is the mean of the two middle values", () => {
  const s = summarize([2, 4, 4, 4, 5, 5, 7, 9]);
  assert.equal(s.mean, 5);
  // Σ(x − 5)² = 9 + 1 + 1 + 1 + 0 + 0 + 4 + 16 = 32
  close(s.sd, Math.sqrt(32 / 7));
  assert.equal(s.median, 4.5);
  close(s.ci95Low, 3.4304064348948753, 1e-8);
  close(s.ci95High, 7.5370361835496675, 1e-8);
});

test("one value: no spread, the interval collapses to it", () => {
  const s = summarize([42]);
  assert.deepEqual(s, {
    n: 1,
    mean: 42,
    sd: 0,
    min: 42,
    max: 42,
    median: 42,
    ci95Low: 42,
    ci95High: 42,
    ciMethod: "log-cox",
    cv: 0,
  });
});

test("three runs of a speed with a wide spread: the interval stays positive (the t interval went below 0)", () => {
  const s = summarize([1.2, 7.0, 3.8]);
  // Student t would give −3.216836914 – 11.216836914 tokens/s for these.
  close(s.ci95Low, 0.28367118528051183, 1e-8);
  close(s.ci95High, 79.10547896301051, 1e-6);
  assert.ok(s.ci95Low > 0 && s.ci95Low < s.mean && s.mean < s.ci95High);
});

test("a zero or negative value: Student t, said so (the log scale needs positive values)", () => {
  const s = summarize([3, 1, 5, 2, 4, 0]);
  assert.equal(s.ciMethod, "t");
  // mean 2.5, sd √3.5, t(0.975, 5) = 2.570581836; half width 1.963324…
  close(s.ci95High - s.mean, 2.570581836 * Math.sqrt(3.5 / 6), 1e-8);
  close(s.mean - s.ci95Low, 2.570581836 * Math.sqrt(3.5 / 6), 1e-8);
});

test("identical values: no spread, the interval is the value", () => {
  const s = summarize([128, 128, 128]);
  assert.equal(s.ci95Low, 128);
  assert.equal(s.ci95High, 128);
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
