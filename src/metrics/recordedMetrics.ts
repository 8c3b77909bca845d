import type { RequestMetrics } from "./requestMetrics.ts";

/** The metrics of one request that its result records (an InferenceSample, a measured context): all but ITL. */
export type RecordedMetrics = Omit<RequestMetrics, "itlMs" | "itlNotMeasuredReason">;

/**
 * One request's metrics (requestMetrics) as every engine's results record them, in the results file's field order:
 * prompt tokens and ms, prompt tokens/s, TTFT ms, output tokens, generation ms and tokens/s, total ms. ITL is left
 * out: it is summarised per concurrency level, not kept per request.
 */
export function recordedMetrics(m: RequestMetrics): RecordedMetrics {
  return {
    promptTokens: m.promptTokens,
    promptMs: m.promptMs,
    promptTokensPerSecond: m.promptTokensPerSecond,
    ttftMs: m.ttftMs,
    outputTokens: m.outputTokens,
    generationMs: m.generationMs,
    generationTokensPerSecond: m.generationTokensPerSecond,
    totalMs: m.totalMs,
  };
}
