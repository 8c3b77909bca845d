import type { StreamObservation } from "../metrics/requestMetrics.ts";
import type { ServerTimings } from "../results/types.ts";

const isCount = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0;
const isTime = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v) && v >= 0;

/**
 * llama-server's `timings` object (also sent on its OpenAI-compatible endpoints) as ServerTimings: prompt_n,
 * prompt_ms, predicted_n, predicted_ms. Null when absent or not numbers (an untrusted answer).
 */
export function parseServerTimings(timings: unknown): ServerTimings | null {
  if (timings === null || typeof timings !== "object") return null;
  const { prompt_n, prompt_ms, predicted_n, predicted_ms } = timings as Record<string, unknown>;
  if (!isCount(prompt_n) || !isTime(prompt_ms) || !isCount(predicted_n) || !isTime(predicted_ms)) return null;
  return { promptTokens: prompt_n, promptMs: prompt_ms, predictedTokens: predicted_n, predictedMs: predicted_ms };
}

/** One streamed completion, the same for every serving engine. */
export interface CompletionRequest {
  /** Text (tokenised by the server, BOS added as the model wants it) or token ids (sent as they are). */
  prompt: string | number[];
  /** Tokens to generate; end-of-generation does not stop earlier (as in-process). */
  maxTokens: number;
  seed: number;
}

export type CompletionResult =
  | { ok: true; observation: StreamObservation; server: ServerTimings | null }
  | { ok: false; code: string; message: string };

/** What the serving stages need of an engine: streamed completions and, where it can, its tokenizer. */
export interface ServingClient {
  /** Never throws for what the server does: a failure is a result with a code and the server's message. */
  complete(request: CompletionRequest, signal?: AbortSignal): Promise<CompletionResult>;
  /** The model's token ids for a text (with BOS when `addSpecial` and the model wants it); null when unsupported. */
  tokenize(text: string, addSpecial: boolean, signal?: AbortSignal): Promise<number[] | null>;
}
