import type { LlamaContextSequence, Token } from "node-llama-cpp";
import { GgufBenchError } from "../errors.ts";
import { type RequestMetrics, requestMetrics } from "../metrics/requestMetrics.ts";

export { tokensPerSecond } from "../metrics/requestMetrics.ts";

/** The metrics of one in-process request, as src/metrics/requestMetrics.ts defines them for every engine. */
export type GenerationTiming = RequestMetrics;

export interface GenerationOptions {
  maxTokens: number;
  seed: number;
}

/**
 * One measured request on an empty sequence, through node-llama-cpp's low-level `sequence.evaluate`
 * (no chat wrapper, no prompt-cache reuse, no token predictor). Clock points (performance.now()):
 *   t0 request       before `preparePrompt` (tokenisation, for a text prompt)
 *   t1 prompt ready  tokens handed to `evaluate`
 *   t2 first token   all prompt tokens decoded (in batchSize chunks) + one greedy sample
 *   t3 last token    outputTokens − 1 further one-token decodes, each followed by a greedy sample
 * These are the observation of src/metrics/requestMetrics.ts (request start t0, prompt handed over t1, first
 * token t2, last token t3), which derives every metric: promptMs = t2 − t1 (prefill, including the one sample),
 * ttftMs = t2 − t0 (tokenisation + prefill), generationMs = t3 − t2 (covers outputTokens − 1 decodes: the first
 * token came out of the prefill), totalMs = t3 − t0. End-of-generation tokens do not stop the run (as in llama-bench), so every run decodes
 * the same number of tokens; token counts come from the engine, never from re-tokenising text.
 */
export async function timedGeneration(
  sequence: LlamaContextSequence,
  preparePrompt: () => Token[],
  { maxTokens, seed }: GenerationOptions,
): Promise<GenerationTiming> {
  if (sequence.nextTokenIndex !== 0)
    throw new GgufBenchError("kv-not-empty", `sequence holds ${sequence.nextTokenIndex} tokens before a timed run`);
  if (!Number.isInteger(maxTokens) || maxTokens < 1)
    throw new GgufBenchError("bad-max-tokens", `maxTokens must be ≥ 1, got ${maxTokens}`);

  const t0 = performance.now();
  const prompt = preparePrompt();
  const t1 = performance.now();
  // The last sampled token is never decoded, hence the − 1.
  const cellsNeeded = prompt.length + maxTokens - 1;
  if (cellsNeeded > sequence.contextSize)
    throw new GgufBenchError(
      "context-overflow",
      `prompt ${prompt.length} + ${maxTokens} generated tokens do not fit in the context of ${sequence.contextSize}`,
    );
  let t2 = t1;
  let t3 = t1;
  let outputTokens = 0;
  for await (const _token of sequence.evaluate(prompt, { temperature: 0, seed, yieldEogToken: true })) {
    const now = performance.now();
    if (outputTokens === 0) t2 = now;
    t3 = now;
    outputTokens++;
    if (outputTokens >= maxTokens) break;
  }
  if (outputTokens === 0) throw new GgufBenchError("no-output", "the model produced no token");

  // Had the context filled up, node-llama-cpp would have shifted (erased) the oldest tokens and carried on:
  // a silently different workload. Checked again after the run in case the window was smaller than reported.
  const expectedIndex = prompt.length + outputTokens - 1;
  if (sequence.nextTokenIndex !== expectedIndex)
    throw new GgufBenchError(
      "context-overflow",
      `prompt ${prompt.length} + ${outputTokens} generated tokens did not fit in the context of ${sequence.contextSize}`,
    );
  return requestMetrics({
    requestStartMs: t0,
    promptSentMs: t1,
    firstTokenMs: t2,
    lastTokenMs: t3,
    promptTokens: prompt.length,
    outputTokens,
  });
}
