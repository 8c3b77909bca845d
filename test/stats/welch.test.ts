import assert from "node:assert/strict";
import { test } from "node:test";
import { sampleMoments, welchTest } from "../../src/stats/welch.ts";

const close = (actual: number, expected: number, tolerance = 1e-9) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not within ${tolerance} of ${expected}`);

test("df = 2 case with a closed-form t distribution", () => {
  // a = [1, 3]: mean 2, s² = 2. b = [4, 6]: mean 5, s² = 2.
  // se² = 2/2 + 2/2 = 2, t = 3/√2 = 2.1213203435596424.
  // df = 2² / ((1²)/1 + (1²)/1) = 2.
  // For df = 2, F(t) = 1/2 + t / (2√(2 + t²)), so p = 1 − t/√(2 + t²) = 1 − 3/√13 = 0.16794970566215628.
  // t_0.975,2: q/√(2 + q²) = 0.95 → q² = 1.805/0.0975 → q·se = √(2·1.805/0.0975) = 6.084869844593308.
  const r = welchTest(sampleMoments([1, 3]), sampleMoments([4, 6]));
  assert.ok(r);
  close(r.meanDifference, 3);
  close(r.standardError, Math.SQRT2);
  close(r.t, 2.1213203435596424);
  close(r.df, 2);
  close(r.p, 0.16794970566215628);
  close(r.ci95Low, 3 - 6.084869844593308);
  close(r.ci95High, 3 + 6.084869844593308);
});

test("df = 1 case (Cauchy) when one side has no variance", () => {
  // a = [1, 3]: s² = 2, b = [5, 5]: s² = 0. se² = 1, t = 3.
  // df = 1² / (1²/1 + 0) = 1; F(t) = 1/2 + atan(t)/π, p = 1 − 2·atan(3)/π = 0.20483276469913345.
  // t_0.975,1 = tan(0.475π) = 12.706204736174694, CI = 3 ± 12.706204736174694.
  const r = welchTest(sampleMoments([1, 3]), sampleMoments([5, 5]));
  assert.ok(r);
  close(r.t, 3);
  close(r.df, 1);
  close(r.p, 1 - (2 * Math.atan(3)) / Math.PI);
  close(r.p, 0.20483276469913345);
  close(r.ci95Low, -9.706204736174694, 1e-8);
  close(r.ci95High, 15.706204736174694, 1e-8);
});

test("unequal variances give a fractional Welch–Satterthwaite df", () => {
  // a = [1..5]: mean 3, s² = 2.5; b = [2, 4, 6, 8, 10]: mean 6, s² = 10; n = 5 each.
  // se² = 2.5/5 + 10/5 = 2.5, t = 3/√2.5 = 1.8973665961010275.
  // df = 2.5² / (0.5²/4 + 2²/4) = 6.25/1.0625 = 5.882352941176471.
  // p lies between the df = 5 and df = 6 two-sided values for t = 1.897 (0.116 and 0.107 from tables);
  // scipy.stats.ttest_ind(b, a, equal_var=False) gives p = 0.10753119493062728 and
  // CI (−0.887741643736975, 6.887741643736975) (t_0.975,5.88 = 2.458823709699146).
  const r = welchTest(sampleMoments([1, 2, 3, 4, 5]), sampleMoments([2, 4, 6, 8, 10]));
  assert.ok(r);
  close(r.t, 1.8973665961010275);
  close(r.df, 5.882352941176471);
  close(r.p, 0.10753119493062728, 1e-9);
  close(r.ci95Low, 3 - 2.458823709699146 * Math.sqrt(2.5), 1e-8);
  close(r.ci95High, 6.887741643736975, 1e-8);
});

test("the direction of t follows b − a", () => {
  const up = welchTest({ n: 5, mean: 10, sd: 1 }, { n: 5, mean: 12, sd: 1 });
  const down = welchTest({ n: 5, mean: 12, sd: 1 }, { n: 5, mean: 10, sd: 1 });
  assert.ok(up && down);
  // se = √(1/5 + 1/5) = √0.4, t = 2/√0.4 = 3.1622776601683795; df = 0.4²/(2·0.04/4) = 8.
  close(up.t, 3.1622776601683795);
  close(down.t, -3.1622776601683795);
  close(up.df, 8);
  close(up.p, down.p);
});

test("no test without two values a side or without any variance", () => {
  assert.equal(welchTest({ n: 1, mean: 1, sd: 0 }, { n: 5, mean: 2, sd: 1 }), null);
  assert.equal(welchTest(sampleMoments([2, 2, 2]), sampleMoments([3, 3, 3])), null);
});

test("sampleMoments uses the n − 1 standard deviation", () => {
  // [2, 4, 4, 4, 5, 5, 7, 9]: mean 5, Σ(x − 5)² = 32, s = √(32/7).
  const m = sampleMoments([2, 4, 4, 4, 5, 5, 7, 9]);
  assert.equal(m.n, 8);
  close(m.mean, 5);
  close(m.sd, Math.sqrt(32 / 7));
});
