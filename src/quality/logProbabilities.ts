/** The smallest positive float32: a probability that underflowed to 0 in float32 is taken as this, never ln 0. */
export const MIN_PROBABILITY = 2 ** -149;

/** One next-token distribution over the whole vocabulary as natural-log probabilities, and its most likely token. */
export interface LogDistribution {
  /** ln p(token), indexed by token id; the probabilities sum to 1. */
  logProbs: Float64Array;
  /** The most likely token; the lowest id among equal maxima (as llama-perplexity's argmax). */
  argmax: number;
}

/**
 * ln-probabilities from (token, probability) pairs such as node-llama-cpp's `probabilities` map (a float32
 * softmax normalised with a float32 sum), renormalised in double precision so that the float32 sum's rounding
 * does not shift every ln p by the same small amount. Tokens missing from the pairs, or with probability 0, get
 * MIN_PROBABILITY. Token ids outside [0, vocabSize) are ignored.
 */
export function logProbabilities(pairs: Iterable<[number, number]>, vocabSize: number): LogDistribution {
  const logProbs = new Float64Array(vocabSize).fill(MIN_PROBABILITY);
  for (const [token, probability] of pairs)
    if (token >= 0 && token < vocabSize) logProbs[token] = probability > 0 ? probability : MIN_PROBABILITY;
  let total = 0;
  let argmax = 0;
  for (let i = 0; i < vocabSize; i++) {
    const p = logProbs[i] as number;
    total += p;
    if (p > (logProbs[argmax] as number)) argmax = i;
  }
  const logTotal = Math.log(total);
  for (let i = 0; i < vocabSize; i++) logProbs[i] = Math.log(logProbs[i] as number) - logTotal;
  return { logProbs, argmax };
}
