import type { LogDistribution } from "./logProbabilities.ts";
import type { ReferencePosition } from "./scorePosition.ts";

/**
 * What the reference file keeps of one full distribution: its `topK` most likely tokens (most likely first, equal
 * ln-probabilities by lower id, so topTokens[0] is the argmax), their ln-probabilities, the ln of the mass of all
 * other tokens (−Infinity when topK covers the vocabulary) and ln p(next token).
 */
export function referencePosition(distribution: LogDistribution, nextToken: number, topK: number): ReferencePosition {
  const { logProbs } = distribution;
  const vocab = logProbs.length;
  const k = Math.min(topK, vocab);
  // The k-th largest value by a native numeric sort of a copy; then ids above it, then ids equal to it in id order.
  const threshold = Float64Array.from(logProbs).sort()[vocab - k] as number;
  const chosen: number[] = [];
  for (let i = 0; i < vocab; i++) if ((logProbs[i] as number) > threshold) chosen.push(i);
  for (let i = 0; i < vocab && chosen.length < k; i++) if (logProbs[i] === threshold) chosen.push(i);
  chosen.sort((a, b) => (logProbs[b] as number) - (logProbs[a] as number) || a - b);
  const topTokens = Uint32Array.from(chosen);
  const topLogProbs = Float32Array.from(chosen, (i) => logProbs[i] as number);
  let rest = 0;
  if (k < vocab) {
    const kept = new Uint8Array(vocab);
    for (const i of chosen) kept[i] = 1;
    for (let i = 0; i < vocab; i++) if (kept[i] === 0) rest += Math.exp(logProbs[i] as number);
  }
  return {
    topTokens,
    topLogProbs,
    restLogProb: rest > 0 ? Math.log(rest) : Number.NEGATIVE_INFINITY,
    nextTokenLogProb: logProbs[nextToken] as number,
  };
}
