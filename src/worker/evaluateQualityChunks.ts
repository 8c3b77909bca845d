import type { LlamaContextSequence, Token } from "node-llama-cpp";
import { GgufBenchError } from "../errors.ts";
import type { ChunkPlan } from "../quality/chunkPlan.ts";
import { type LogDistribution, logProbabilities } from "../quality/logProbabilities.ts";

/** Probabilities held at once (outputs of one controlledEvaluate call × vocabulary): bounds the JS maps' memory. */
const MAX_PROBABILITIES_PER_CALL = 1 << 20;

/**
 * Evaluates each chunk as llama-perplexity does: an empty KV cache, the chunk's tokens at positions 0 … n_ctx − 1
 * with the first one replaced by BOS when the model adds one (`bos`), and the full next-token distribution of
 * every scored position first … n_ctx − 2, through node-llama-cpp's controlledEvaluate with
 * `generateNext.probabilities` (the softmax of the raw logits: temperature 0 leaves them untouched). The last
 * token of a chunk is not evaluated (its logits are never scored, and attention is causal). Scored positions are
 * requested in slices so that at most MAX_PROBABILITIES_PER_CALL probabilities exist at once.
 * The vocabulary size is the number of probabilities the model returns; with `expectedVocabSize` (the reference's)
 * a different size is a GgufBenchError "vocab-mismatch".
 * `onPosition` gets each scored distribution as soon as it exists (chunk, index 0 … positionsPerChunk − 1 within
 * the chunk, the token it predicts), so only one distribution per slice is alive at a time.
 */
export async function evaluateQualityChunks(
  sequence: LlamaContextSequence,
  tokens: ArrayLike<number>,
  plan: ChunkPlan,
  bos: number | null,
  expectedVocabSize: number | null,
  onPosition: (chunk: number, index: number, distribution: LogDistribution, nextToken: number) => void | Promise<void>,
): Promise<void> {
  const n = plan.contextSize;
  let vocabSize = expectedVocabSize;
  // Until the vocabulary is known, one scored position per call.
  let slice = vocabSize === null ? 1 : Math.max(1, Math.floor(MAX_PROBABILITIES_PER_CALL / vocabSize));
  for (let chunk = 0; chunk < plan.chunks; chunk++) {
    await sequence.clearHistory();
    const chunkTokens = Array.from({ length: n }, (_, i) => tokens[chunk * n + i] as number);
    if (bos !== null) chunkTokens[0] = bos;
    for (let at = 0; at < n - 1; ) {
      const end = Math.min(n - 1, Math.max(at, plan.firstScored) + slice);
      const input = chunkTokens
        .slice(at, end)
        .map((token, i) =>
          at + i >= plan.firstScored
            ? ([token as Token, { generateNext: { probabilities: true } }] as const)
            : (token as Token),
        );
      const outputs = await sequence.controlledEvaluate(
        input as Parameters<LlamaContextSequence["controlledEvaluate"]>[0],
      );
      for (let i = 0; i < input.length; i++) {
        const position = at + i;
        if (position < plan.firstScored) continue;
        const probabilities = outputs[i]?.next?.probabilities;
        if (!probabilities) throw new Error(`no probabilities at position ${position} of chunk ${chunk}`);
        if (vocabSize === null) {
          vocabSize = probabilities.size;
          slice = Math.max(1, Math.floor(MAX_PROBABILITIES_PER_CALL / vocabSize));
        } else if (probabilities.size !== vocabSize)
          throw new GgufBenchError(
            "vocab-mismatch",
            `the model has ${probabilities.size} tokens, the reference ${vocabSize}: KL divergence needs the same vocabulary`,
          );
        await onPosition(
          chunk,
          position - plan.firstScored,
          logProbabilities(probabilities, vocabSize),
          chunkTokens[position + 1] as number,
        );
      }
      at = end;
    }
  }
}
