/**
 * THE definitions of the per-request metrics, shared by every engine (in-process, llama-server, OpenAI-compatible),
 * so that no engine can define TTFT its own way. An engine only observes clock points and token counts; the
 * metrics are derived here and nowhere else.
 *
 * Clock: performance.now() of the process that observes the stream (the worker in-process, the gguf-bench parent
 * for servers), in ms.
 */

/** What an engine observed of one streamed request. */
export interface StreamObservation {
  /** The request was issued: before tokenising a text prompt in-process; before sending it to a server. */
  requestStartMs: number;
  /** The prompt's tokens were handed to the engine (after client-side tokenisation; the send time for servers). */
  promptSentMs: number;
  /** Arrival of the first streamed chunk (token, or HTTP event) that carried at least one generated token. */
  firstTokenMs: number;
  /** Arrival of the chunk that carried the last generated token. */
  lastTokenMs: number;
  /** Prompt tokens as the engine counted them (never re-tokenised text). */
  promptTokens: number;
  /** Generated tokens as the engine counted them (its own token count, or the server's usage/timings). */
  outputTokens: number;
}

export interface RequestMetrics {
  promptTokens: number;
  /** First token − prompt handed over: prefill plus the first sample (plus HTTP for servers). */
  promptMs: number;
  /** promptTokens ÷ promptMs; null when that span is empty (not measured: see `tokensPerSecond`). */
  promptTokensPerSecond: number | null;
  /** Time to first token: first chunk carrying a token − request start (the AIPerf / GuideLLM definition). */
  ttftMs: number;
  outputTokens: number;
  /** Last token − first token: covers outputTokens − 1 tokens (the first came with the prefill). */
  generationMs: number;
  /**
   * (outputTokens − 1) ÷ generationMs; null when not measured: one output token leaves no decode span, and a server
   * that sends every generated token in one chunk leaves a span of 0 ms on the client's clock.
   */
  generationTokensPerSecond: number | null;
  /**
   * Inter-token latency of the request, (E2E − TTFT) ÷ (outputTokens − 1) as AIPerf defines it: from token
   * counts, not chunk gaps, because a server may pack several tokens into one chunk. Null when not measured, as
   * for generationTokensPerSecond: fewer than 2 tokens, or every token in one chunk (a span of 0 ms is no latency
   * of 0 ms: the gaps between the tokens were never seen).
   */
  itlMs: number | null;
  /** Why `itlMs` is null (`rateNotMeasuredReason` of the same span); null when it was measured. */
  itlNotMeasuredReason: string | null;
  /** End to end: last token − request start. */
  totalMs: number;
}

/** The metrics of one request from what the engine observed (pure). */
export function requestMetrics(o: StreamObservation): RequestMetrics {
  const generationMs = o.lastTokenMs - o.firstTokenMs;
  const promptMs = o.firstTokenMs - o.promptSentMs;
  return {
    promptTokens: o.promptTokens,
    promptMs,
    promptTokensPerSecond: tokensPerSecond(o.promptTokens, promptMs),
    ttftMs: o.firstTokenMs - o.requestStartMs,
    outputTokens: o.outputTokens,
    generationMs,
    generationTokensPerSecond: tokensPerSecond(o.outputTokens - 1, generationMs),
    itlMs: o.outputTokens > 1 && generationMs > 0 ? generationMs / (o.outputTokens - 1) : null,
    itlNotMeasuredReason: rateNotMeasuredReason(o.outputTokens - 1, generationMs),
    totalMs: o.lastTokenMs - o.requestStartMs,
  };
}

/**
 * Tokens per second over a span of `durationMs` ms; null when nothing was timed: no token in the span (one output
 * token has no decode span) or an empty span (every token arrived in one chunk, 0 ms apart). Never 0 for "not
 * measured": `rateNotMeasuredReason` says why it is null.
 */
export function tokensPerSecond(tokens: number, durationMs: number): number | null {
  return tokens > 0 && durationMs > 0 ? (tokens * 1000) / durationMs : null;
}

/** Why `tokensPerSecond(tokens, durationMs)` is null, in words a report prints beside its "—"; null when it is not. */
export function rateNotMeasuredReason(tokens: number, durationMs: number): string | null {
  if (tokens <= 0) return "no token to time in the span (a single output token comes with the prefill)";
  if (durationMs <= 0)
    return "the tokens arrived at once (e.g. a server that sends them in one chunk): a span of 0 ms cannot be timed";
  return null;
}
