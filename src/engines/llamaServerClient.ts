import { GgufBenchError } from "../errors.ts";
import { forEachStreamEvent } from "./forEachStreamEvent.ts";
import {
  type CompletionRequest,
  type CompletionResult,
  parseServerTimings,
  type ServingClient,
} from "./servingClient.ts";
import { errorMessage } from "./streamEvents.ts";

/** Bound on the token arrays a server may send back from /tokenize (untrusted). */
const MAX_TOKENIZE_TOKENS = 1 << 24;

interface NativeEvent {
  stop?: unknown;
  tokens_predicted?: unknown;
  tokens_evaluated?: unknown;
  content?: unknown;
  stop_type?: unknown;
  timings?: { prompt_n?: unknown; prompt_ms?: unknown; predicted_n?: unknown; predicted_ms?: unknown };
  error?: unknown;
}

const isCount = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0;

/**
 * llama-server's native API at `baseUrl`: `/completion` streamed with the prompt cache off (`cache_prompt:
 * false`), temperature 0 with the greedy sampler alone, a fixed seed, exactly `maxTokens` tokens (`ignore_eos`), and `/tokenize`.
 * Streaming also avoids a known trap: a finished non-streamed completion of a random-weight model can come back
 * as HTTP 500 "does not match the expected Content-only format" although every token was generated.
 *
 * Token counts come from the server: every streamed event carries `tokens_predicted` (tokens decoded so far; an
 * event may carry more than one when a token ended inside a UTF-8 character), the final one `tokens_evaluated`
 * (the prompt) and `timings` (the server's own clock).
 */
export function llamaServerClient(
  baseUrl: string,
  idleTimeoutMs: number,
  /** Tokens kept out of sampling (a synthesised model's high byte tokens: see highByteTokens). */
  avoidTokens: readonly number[] = [],
): ServingClient {
  return {
    async complete(request: CompletionRequest, signal?: AbortSignal): Promise<CompletionResult> {
      const body = {
        prompt: request.prompt,
        n_predict: request.maxTokens,
        stream: true,
        cache_prompt: false,
        temperature: 0,
        // Greedy and nothing else, as node-llama-cpp samples at temperature 0: the default chain would run
        // top-k, top-p and min-p over the whole vocabulary for every token first, work the in-process engine skips.
        samplers: ["temperature"],
        seed: request.seed,
        ignore_eos: true,
        n_probs: 0,
        ...(avoidTokens.length > 0 ? { logit_bias: avoidTokens.map((id) => [id, false]) } : {}),
      };
      const requestStartMs = performance.now();
      let firstTokenMs: number | null = null;
      let lastTokenMs: number | null = null;
      let decoded = 0;
      // Set in the event callback (a cast, so that TypeScript does not narrow it to null here).
      let final = null as NativeEvent | null;
      const read = await forEachStreamEvent<NativeEvent>(
        { url: `${baseUrl}/completion`, body, idleTimeoutMs, signal },
        "event",
        (event, atMs) => {
          const predicted = event.tokens_predicted;
          if (isCount(predicted) && predicted > decoded) {
            decoded = predicted;
            firstTokenMs ??= atMs;
            lastTokenMs = atMs;
          }
          if (event.stop !== true) return false;
          final = event;
          return true;
        },
      );
      if (!read.ok) return read;
      if (final === null)
        return { ok: false, code: "malformed-stream", message: "the stream ended without its final event" };
      const outputTokens = isCount(final.tokens_predicted) ? final.tokens_predicted : decoded;
      const promptTokens = isCount(final.tokens_evaluated) ? final.tokens_evaluated : null;
      if (firstTokenMs === null || lastTokenMs === null || outputTokens === 0)
        return { ok: false, code: "no-output", message: "the server generated no token" };
      if (promptTokens === null)
        return { ok: false, code: "malformed-stream", message: "the final event has no tokens_evaluated" };
      if (outputTokens !== request.maxTokens)
        return {
          ok: false,
          code: "short-output",
          message: `the server stopped after ${outputTokens} of ${request.maxTokens} tokens (stop type ${String(final.stop_type).slice(0, 40)})`,
        };
      return {
        ok: true,
        observation: {
          requestStartMs,
          promptSentMs: requestStartMs,
          firstTokenMs,
          lastTokenMs,
          promptTokens,
          outputTokens,
        },
        server: parseServerTimings(final.timings),
      };
    },

    async tokenize(text: string, addSpecial: boolean, signal?: AbortSignal): Promise<number[] | null> {
      let response: Response;
      try {
        response = await fetch(`${baseUrl}/tokenize`, {
          method: "POST",
          headers: { "content-type": "application/json", connection: "close" },
          body: JSON.stringify({ content: text, add_special: addSpecial }),
          signal: signal ?? AbortSignal.timeout(idleTimeoutMs),
        });
      } catch (error) {
        throw new GgufBenchError("connection-failed", `${baseUrl}/tokenize: ${String(error)}`);
      }
      if (response.status === 404) return null;
      if (!response.ok)
        throw new GgufBenchError(`http-${response.status}`, `/tokenize: ${errorMessage(await response.text())}`);
      const parsed = (await response.json().catch(() => null)) as { tokens?: unknown } | null;
      const tokens = parsed?.tokens;
      if (!Array.isArray(tokens) || tokens.length > MAX_TOKENIZE_TOKENS || !tokens.every(isCount))
        throw new GgufBenchError("malformed-response", "/tokenize did not answer a list of token ids");
      return tokens;
    },
  };
}

/** The server's own timings, or null when it sent none (or nonsense). */
