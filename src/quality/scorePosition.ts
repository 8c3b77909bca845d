import { type LogDistribution, MIN_PROBABILITY } from "./logProbabilities.ts";

/** llama-perplexity leaves out of the KL sum the tokens whose reference probability is at most e^−16. */
export const MIN_REFERENCE_LOG_PROB = -16;

/**
 * The reference model's next-token distribution at one scored position, as the reference file keeps it: its K most
 * likely tokens with their ln-probabilities, one bucket for the rest of the vocabulary, and the ln-probability of
 * the text's actual next token.
 */
export interface ReferencePosition {
  /** Token ids, most likely first (equal probabilities: lower id first); topTokens[0] is the reference's argmax. */
  topTokens: ArrayLike<number>;
  /** ln p_ref of each token of topTokens. */
  topLogProbs: ArrayLike<number>;
  /** ln of the reference's probability mass outside topTokens; −Infinity when topTokens is the whole vocabulary. */
  restLogProb: number;
  /** ln p_ref(the text's next token). */
  nextTokenLogProb: number;
}

/** What one position contributes to the figures (the per-token terms of llama-perplexity's KL mode). */
export interface PositionScore {
  /** KL(ref ‖ model) = Σ p_ref · (ln p_ref − ln p_model), nats. */
  kld: number;
  /** −ln p_model(next token). */
  nll: number;
  /** −ln p_ref(next token). */
  referenceNll: number;
  /** Δp = p_model(next token) − p_ref(next token). */
  deltaP: number;
  /** The model's most likely token is the reference's. */
  sameTop: boolean;
}

/**
 * Scores the model's distribution at one position against the reference's, as llama-perplexity's
 * `--kl-divergence` does per token (tools/perplexity/perplexity.cpp, `log_softmax` with `kl_divergence_result`):
 * KLD = Σ_i p_ref(i) (ln p_ref(i) − ln p_model(i)) over the tokens with p_ref(i) > e^−16 (as llama-perplexity),
 * Δp and top-token agreement on the text's next token and argmax. With fewer kept tokens than the vocabulary,
 * one more term for the rest (mass r = e^restLogProb against the model's mass outside the kept tokens).
 * Differences from llama-perplexity, by design: it keeps ln p_ref in 16-bit steps of up to 16/65535 nats and takes
 * the reference's top token from those steps (near-ties go to the lower id); gguf-bench keeps float32.
 */
export function scorePosition(reference: ReferencePosition, model: LogDistribution, nextToken: number): PositionScore {
  let kld = 0;
  let keptModelMass = 0;
  for (let k = 0; k < reference.topTokens.length; k++) {
    const lp = reference.topLogProbs[k] as number;
    const lq = model.logProbs[reference.topTokens[k] as number] as number;
    if (lp > MIN_REFERENCE_LOG_PROB) kld += Math.exp(lp) * (lp - lq);
    keptModelMass += Math.exp(lq);
  }
  if (reference.restLogProb > Number.NEGATIVE_INFINITY) {
    const modelRest = Math.max(1 - keptModelMass, MIN_PROBABILITY);
    kld += Math.exp(reference.restLogProb) * (reference.restLogProb - Math.log(modelRest));
  }
  const lqNext = model.logProbs[nextToken] as number;
  return {
    kld,
    nll: -lqNext,
    referenceNll: -reference.nextTokenLogProb,
    deltaP: Math.exp(lqNext) - Math.exp(reference.nextTokenLogProb),
    sameTop: model.argmax === reference.topTokens[0],
  };
}
