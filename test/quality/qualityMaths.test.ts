import assert from "node:assert/strict";
import { test } from "node:test";
import { logProbabilities, MIN_PROBABILITY } from "../../src/quality/logProbabilities.ts";
import { QualityAccumulator } from "../../src/quality/qualityAccumulator.ts";
import { meanAndStandardError, percentile, perplexityFromSums } from "../../src/quality/qualityStatistics.ts";
import { type ReferencePosition, scorePosition } from "../../src/quality/scorePosition.ts";

const close = (actual: number | null, expected: number, tolerance = 1e-12) =>
  assert.ok(actual !== null && Math.abs(actual - expected) <= tolerance, `${actual} is not ${expected} ± ${tolerance}`);

/** A reference position keeping the whole distribution `p` (sorted most likely first, ties by lower id). */
function fullReference(p: number[], next: number): ReferencePosition {
  const order = p.map((_, i) => i).sort((a, b) => (p[b] as number) - (p[a] as number) || a - b);
  return {
    topTokens: order,
    topLogProbs: order.map((i) => Math.log(p[i] as number)),
    restLogProb: Number.NEGATIVE_INFINITY,
    nextTokenLogProb: Math.log(p[next] as number),
  };
}

test("logProbabilities renormalises in double precision; zero and missing tokens get the float32 minimum", () => {
  const d = logProbabilities(
    [
      [0, 0.2],
      [1, 0.2],
    ],
    2,
  );
  close(d.logProbs[0] as number, Math.log(0.5));
  close(d.logProbs[1] as number, Math.log(0.5));
  assert.equal(d.argmax, 0); // a tie goes to the lower id
  const sparse = logProbabilities(
    [
      [2, 1],
      [0, 0],
    ],
    3,
  );
  assert.equal(sparse.argmax, 2);
  close(sparse.logProbs[0] as number, Math.log(MIN_PROBABILITY) - Math.log(1 + 2 * MIN_PROBABILITY));
  close(sparse.logProbs[1] as number, Math.log(MIN_PROBABILITY) - Math.log(1 + 2 * MIN_PROBABILITY));
});

test("the KL divergence of a distribution with itself is exactly 0, with Δp 0 and the same top token", () => {
  const p = [0.1, 0.6, 0.05, 0.25];
  const model = logProbabilities(
    p.map((x, i) => [i, x]),
    4,
  );
  // the reference keeps exactly the model's ln-probabilities
  const order = [1, 3, 0, 2];
  const reference: ReferencePosition = {
    topTokens: order,
    topLogProbs: order.map((i) => model.logProbs[i] as number),
    restLogProb: Number.NEGATIVE_INFINITY,
    nextTokenLogProb: model.logProbs[3] as number,
  };
  const score = scorePosition(reference, model, 3);
  assert.equal(score.kld, 0);
  assert.equal(score.deltaP, 0);
  assert.equal(score.sameTop, true);
  close(score.nll, -Math.log(0.25), 1e-15);
});

test("two tokens: KL((½,½) ‖ (¼,¾)) = ½ ln(4/3), Δp and top-token agreement of the next token", () => {
  const model = logProbabilities(
    [
      [0, 0.25],
      [1, 0.75],
    ],
    2,
  );
  const score = scorePosition(fullReference([0.5, 0.5], 1), model, 1);
  close(score.kld, 0.5 * Math.log(4 / 3)); // 0.14384103622589045
  close(score.kld, 0.14384103622589045);
  close(score.nll, -Math.log(0.75));
  close(score.referenceNll, Math.log(2));
  close(score.deltaP, 0.25);
  assert.equal(score.sameTop, false); // the reference's tie goes to token 0, the model prefers token 1
});

test("top-K with a rest bucket: the KL divergence of the coarse-grained pair (kept tokens + one bucket)", () => {
  // reference (0.5, 0.3, 0.2) keeping only token 0; model (0.25, 0.5, 0.25): the buckets are (0.5, 0.5) vs (0.25, 0.75)
  const reference: ReferencePosition = {
    topTokens: [0],
    topLogProbs: [Math.log(0.5)],
    restLogProb: Math.log(0.5),
    nextTokenLogProb: Math.log(0.3),
  };
  const model = logProbabilities(
    [
      [0, 0.25],
      [1, 0.5],
      [2, 0.25],
    ],
    3,
  );
  const score = scorePosition(reference, model, 1);
  close(score.kld, 0.5 * Math.log(4 / 3));
  // never above the full divergence 0.5 ln 2 + 0.3 ln(0.3/0.5) + 0.2 ln(0.2/0.25)
  assert.ok(score.kld <= 0.5 * Math.log(2) + 0.3 * Math.log(0.6) + 0.2 * Math.log(0.8));
  close(score.deltaP, 0.5 - 0.3);
});

test("reference tokens with p ≤ e^−16 are left out of the sum, as llama-perplexity leaves them out", () => {
  const tiny = Math.exp(-20);
  const reference: ReferencePosition = {
    topTokens: [0, 1],
    topLogProbs: [Math.log(1 - tiny), -20],
    restLogProb: Number.NEGATIVE_INFINITY,
    nextTokenLogProb: Math.log(1 - tiny),
  };
  const model = logProbabilities(
    [
      [0, 0.5],
      [1, 0.5],
    ],
    2,
  );
  close(scorePosition(reference, model, 0).kld, (1 - tiny) * (Math.log(1 - tiny) - Math.log(0.5)));
});

test("means, standard errors and percentiles as llama-perplexity computes them", () => {
  const s = meanAndStandardError(1 + 2 + 3 + 4, 1 + 4 + 9 + 16, 4);
  assert.equal(s.mean, 2.5);
  close(s.standardError, Math.sqrt(1.25 / 3)); // = sample sd / √n = √(5/3) / 2
  assert.equal(meanAndStandardError(5, 25, 1).standardError, null);
  assert.equal(meanAndStandardError(6, 12, 3).standardError, 0); // all equal
  const ppl = perplexityFromSums(10, 30, 4);
  close(ppl.perplexity, Math.exp(2.5));
  close(ppl.standardError, Math.exp(2.5) * Math.sqrt(1.25 / 3));
  assert.equal(percentile([0.1, 0.2, 0.3, 0.4], 0.5), 0.25);
  close(percentile([0.1, 0.2, 0.3, 0.4], 0.99), 0.03 * 0.3 + 0.97 * 0.4);
  assert.equal(percentile([7], 0.99), 7);
  assert.equal(percentile([1, 2, 3], 0.5), 2);
});

test("the accumulator's figures on four hand-made positions", () => {
  const acc = new QualityAccumulator();
  const positions = [
    { kld: 0.4, nll: 1, referenceNll: 1, deltaP: 0.1, sameTop: true },
    { kld: 0.1, nll: 2, referenceNll: 1, deltaP: -0.1, sameTop: true },
    { kld: 0.3, nll: 3, referenceNll: 2, deltaP: 0.3, sameTop: false },
    { kld: 0.2, nll: 4, referenceNll: 2, deltaP: -0.3, sameTop: true },
  ];
  for (const p of positions) acc.add(p);
  const ppl = acc.perplexity();
  assert.equal(ppl.scoredTokens, 4);
  close(ppl.perplexity, Math.exp(2.5));
  close(ppl.standardError, Math.exp(2.5) * Math.sqrt(1.25 / 3));
  const k = acc.kld();
  assert.ok(k);
  assert.equal(k.positions, 4);
  close(k.meanNats, 0.25);
  close(k.standardErrorNats, Math.sqrt((0.075 - 0.0625) / 3));
  close(k.medianNats, 0.25);
  close(k.p99Nats, 0.397);
  assert.equal(k.maxNats, 0.4);
  assert.equal(k.sameTopFraction, 0.75);
  close(k.sameTopStandardError, 0.25); // √(0.75 · 0.25 / 3)
  close(k.rmsDeltaP, Math.sqrt(0.05));
  // Δp² = (0.01, 0.01, 0.09, 0.09): SE(Δp²) = √((0.0041 − 0.05²) / 3); RMS SE = 0.5 / √0.05 × that
  close(k.rmsDeltaPStandardError, (0.5 / Math.sqrt(0.05)) * Math.sqrt((0.0041 - 0.0025) / 3), 1e-12);
  close(k.referencePerplexity, Math.exp(1.5));
});

test("perplexity alone: no KLD figures", () => {
  const acc = new QualityAccumulator();
  acc.addNll(Math.log(2));
  acc.addNll(Math.log(8));
  close(acc.perplexity().perplexity, 4);
  assert.equal(acc.kld(), null);
});
