import { GgufBenchError } from "../errors.ts";

/** How llama-perplexity cuts a token stream into scored chunks (tools/perplexity/perplexity.cpp, `perplexity`). */
export interface ChunkPlan {
  /** Tokens per chunk (n_ctx). */
  contextSize: number;
  /** ⌊tokens / n_ctx⌋; the tokens after the last whole chunk are not used. */
  chunks: number;
  /** n_ctx / 2: the logits of positions first … n_ctx − 2 predict tokens first + 1 … n_ctx − 1 and are scored. */
  firstScored: number;
  /** n_ctx − 1 − first. */
  positionsPerChunk: number;
  /** chunks × n_ctx. */
  tokensUsed: number;
}

/**
 * The chunking of `tokenCount` tokens (BOS included) at `contextSize` per chunk. Like llama-perplexity it needs at
 * least 2 × n_ctx tokens; fewer is a GgufBenchError "text-too-short" that says how many.
 */
export function planChunks(tokenCount: number, contextSize: number): ChunkPlan {
  if (tokenCount < 2 * contextSize)
    throw new GgufBenchError(
      "text-too-short",
      `the quality text is ${tokenCount} tokens for this model; a --quality-context of ${contextSize} needs at least ${2 * contextSize} (use a longer --quality-text or a smaller --quality-context)`,
    );
  const chunks = Math.floor(tokenCount / contextSize);
  const firstScored = Math.floor(contextSize / 2);
  return {
    contextSize,
    chunks,
    firstScored,
    positionsPerChunk: contextSize - 1 - firstScored,
    tokensUsed: chunks * contextSize,
  };
}
