import { forEachStreamEvent } from "./forEachStreamEvent.ts";
import {
  type CompletionRequest,
  type CompletionResult,
  parseServerTimings,
  type ServingClient,
} from "./servingClient.ts";

export interface OpenaiEndpoint {
  /** Base URL of the API, e.g. http://127.0.0.1:8080/v1. */
  baseUrl: string;
  /** `model` sent with each request; null leaves it out (the server's own). */
  model: string | null;
  /** Sent as `Authorization: Bearer`; never recorded. */
  apiKey: string | null;
  idleTimeoutMs: number;
  /** Tokens kept out of sampling (a synthesised model's high byte tokens: see highByteTokens). */
  avoidTokens?: readonly number[];
}

interface ChunkChoice {
  text?: unknown;
}
interface Chunk {
  choices?: ChunkChoice[];
  usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } | null;
  timings?: { prompt_n?: unknown; prompt_ms?: unknown; predicted_n?: unknown; predicted_ms?: unknown };
  error?: unknown;
}

const isCount = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0;

/**
 * Any OpenAI-compatible server through `/v1/completions`, streamed with usage reporting
 * (`stream_options.include_usage`), temperature 0, a fixed seed, `max_tokens`, and `ignore_eos` (honoured by
 * vLLM and llama-server, ignored by others: there the output may be shorter, and its real count is used) and
 * `cache_prompt: false` (llama-server's prompt cache off; ignored by others).
 * Token counts come from the server's usage, never from re-tokenised text: a server that reports no usage gives
 * an error, not a guess. A chunk carries a token when its choice has text (a token that decodes to nothing is
 * not seen, so TTFT waits for the first visible one). llama-server's extra `timings` are kept when present.
 */
export function openaiClient(endpoint: OpenaiEndpoint): ServingClient {
  const headers: Record<string, string> = endpoint.apiKey ? { authorization: `Bearer ${endpoint.apiKey}` } : {};
  return {
    async complete(request: CompletionRequest, signal?: AbortSignal): Promise<CompletionResult> {
      const body = {
        ...(endpoint.model === null ? {} : { model: endpoint.model }),
        prompt: request.prompt,
        max_tokens: request.maxTokens,
        stream: true,
        stream_options: { include_usage: true },
        temperature: 0,
        seed: request.seed,
        ignore_eos: true,
        // llama-server's switch for its prompt cache (on by default on this endpoint); others ignore it, and
        // every prompt starts with a unique marker for them (servingStages).
        cache_prompt: false,
        ...(endpoint.avoidTokens?.length
          ? { logit_bias: Object.fromEntries(endpoint.avoidTokens.map((id) => [String(id), -100])) }
          : {}),
      };
      const requestStartMs = performance.now();
      let firstTokenMs: number | null = null;
      let lastTokenMs: number | null = null;
      // Set in the chunk callback (a cast, so that TypeScript does not narrow it to null here).
      let usage = null as Chunk["usage"];
      let timings: Chunk["timings"];
      const read = await forEachStreamEvent<Chunk>(
        { url: `${endpoint.baseUrl}/completions`, body, headers, idleTimeoutMs: endpoint.idleTimeoutMs, signal },
        "chunk",
        (chunk, atMs) => {
          const text = Array.isArray(chunk.choices) ? chunk.choices[0]?.text : undefined;
          if (typeof text === "string" && text.length > 0) {
            firstTokenMs ??= atMs;
            lastTokenMs = atMs;
          }
          if (chunk.usage) usage = chunk.usage;
          if (chunk.timings) timings = chunk.timings;
          return false;
        },
      );
      if (!read.ok) return read;
      if (!usage || !isCount(usage.prompt_tokens) || !isCount(usage.completion_tokens))
        return {
          ok: false,
          code: "no-usage",
          message: "the endpoint reported no token usage (stream_options.include_usage): tokens cannot be counted",
        };
      if (firstTokenMs === null || lastTokenMs === null || usage.completion_tokens === 0)
        return { ok: false, code: "no-output", message: "the endpoint streamed no text" };
      return {
        ok: true,
        observation: {
          requestStartMs,
          promptSentMs: requestStartMs,
          firstTokenMs,
          lastTokenMs,
          promptTokens: usage.prompt_tokens,
          outputTokens: usage.completion_tokens,
        },
        server: parseServerTimings(timings),
      };
    },

    /** llama-server's /tokenize beside the API (the base URL without /v1); null where the server has none. */
    async tokenize(text: string, addSpecial: boolean, signal?: AbortSignal): Promise<number[] | null> {
      const root = endpoint.baseUrl.replace(/\/v1$/, "");
      try {
        const response = await fetch(`${root}/tokenize`, {
          method: "POST",
          headers: { "content-type": "application/json", ...headers, connection: "close" },
          body: JSON.stringify({ content: text, add_special: addSpecial }),
          signal: signal ?? AbortSignal.timeout(endpoint.idleTimeoutMs),
        });
        if (!response.ok) return null;
        const parsed = (await response.json().catch(() => null)) as { tokens?: unknown } | null;
        const tokens = parsed?.tokens;
        return Array.isArray(tokens) && tokens.length <= 1 << 24 && tokens.every(isCount) ? tokens : null;
      } catch {
        return null;
      }
    },
  };
}
