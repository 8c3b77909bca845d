import { GgufBenchError } from "../errors.ts";

/**
 * Bounds on what a server may send us (its answers are untrusted): one SSE line, one whole stream, and the
 * part of an error body we keep.
 */
const MAX_LINE_CHARS = 1 << 20;
const MAX_STREAM_BYTES = 64 << 20;
const MAX_ERROR_BODY_CHARS = 4096;
const MAX_MESSAGE_CHARS = 300;

/** One server-sent event's JSON payload and when its bytes arrived (performance.now(), ms). */
export interface StreamEvent {
  data: unknown;
  atMs: number;
}

export interface StreamRequest {
  url: string;
  body: unknown;
  headers?: Record<string, string>;
  /** Abandon the request when the stream sends nothing for this long (a stalled server). */
  idleTimeoutMs: number;
  signal?: AbortSignal;
}

/**
 * POSTs a JSON body and yields the `data:` payloads of the server-sent-event stream it answers with, each stamped
 * with the time its bytes were read. Ends at `data: [DONE]` or the end of the body. Errors are GgufBenchErrors
 * whose code says what went wrong: "connection-failed", "http-<status>" (with the server's own message),
 * "stalled" (nothing for idleTimeoutMs), "malformed-stream" (a data line that is not JSON, a line too long),
 * "stream-too-large", "aborted".
 */
export async function* streamEvents(request: StreamRequest): AsyncGenerator<StreamEvent> {
  const controller = new AbortController();
  let stalled = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      stalled = true;
      controller.abort();
    }, request.idleTimeoutMs);
  };
  const onAbort = () => controller.abort();
  request.signal?.addEventListener("abort", onAbort, { once: true });
  // A signal aborted before the request started never fires "abort" again: cancel at once.
  if (request.signal?.aborted) controller.abort();
  const failure = (error: unknown): GgufBenchError => {
    if (error instanceof GgufBenchError) return error;
    if (stalled) return new GgufBenchError("stalled", `the stream sent nothing for ${request.idleTimeoutMs / 1000} s`);
    if (request.signal?.aborted) return new GgufBenchError("aborted", "the request was cancelled");
    return new GgufBenchError("connection-failed", `${request.url}: ${causeText(error)}`);
  };
  try {
    arm();
    let response: Response;
    try {
      response = await fetch(request.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "text/event-stream",
          ...request.headers,
          // No keep-alive: a fresh connection per request. A server may close an idle kept-alive connection just
          // as the next request is sent on it (llama-server did: 5 of 80 requests at concurrency 4 failed with
          // "other side closed", its log clean), and a POST cut off that way cannot be told apart from one the
          // server received, so a retry would be a guess. Opening a connection is part of every request's TTFT
          // alike (well under 1 ms on loopback; a TCP and TLS handshake to a remote https endpoint).
          connection: "close",
        },
        body: JSON.stringify(request.body),
        signal: controller.signal,
      });
    } catch (error) {
      throw failure(error);
    }
    if (!response.ok) {
      const text = (await response.text().catch(() => "")).slice(0, MAX_ERROR_BODY_CHARS);
      // The URL it tried: a 404 most often means a wrong --endpoint path (e.g. a missing /v1).
      throw new GgufBenchError(
        `http-${response.status}`,
        `HTTP ${response.status} from ${request.url}: ${errorMessage(text)}`,
      );
    }
    if (!response.body) throw new GgufBenchError("malformed-stream", "the response has no body");
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let pending = "";
    let bytes = 0;
    for (;;) {
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      try {
        chunk = await reader.read();
      } catch (error) {
        throw failure(error);
      }
      const atMs = performance.now();
      if (chunk.done) break;
      arm();
      bytes += chunk.value.byteLength;
      if (bytes > MAX_STREAM_BYTES)
        throw new GgufBenchError("stream-too-large", `the stream exceeded ${MAX_STREAM_BYTES >> 20} MiB`);
      pending += decoder.decode(chunk.value, { stream: true });
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      if (pending.length > MAX_LINE_CHARS)
        throw new GgufBenchError("malformed-stream", `a stream line exceeded ${MAX_LINE_CHARS} characters`);
      for (const line of lines) {
        const event = parseLine(line);
        if (event === "done") return;
        if (event !== null) yield { data: event.data, atMs };
      }
    }
    const last = parseLine(pending);
    if (last !== null && last !== "done") yield { data: last.data, atMs: performance.now() };
  } finally {
    clearTimeout(timer);
    request.signal?.removeEventListener("abort", onAbort);
    controller.abort();
  }
}

/** One SSE line: a `data:` payload parsed as JSON, "done" for `[DONE]`, null for anything else (comments, ids). */
function parseLine(raw: string): { data: unknown } | "done" | null {
  const line = raw.replace(/\r$/, "");
  if (!line.startsWith("data:")) {
    // llama-server answers an error inside a stream as a bare `error: {...}` line.
    if (line.startsWith("error:")) throw new GgufBenchError("server-error", errorMessage(line.slice(6).trim()));
    return null;
  }
  const payload = line.slice(5).trim();
  if (payload === "[DONE]") return "done";
  if (payload === "") return null;
  try {
    return { data: JSON.parse(payload) };
  } catch {
    throw new GgufBenchError("malformed-stream", `a data line is not JSON: ${printable(payload)}`);
  }
}

/** The message of an error body ({"error":{"message"}} as llama-server and OpenAI send it), bounded and printable. */
export function errorMessage(text: string): string {
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    const message =
      typeof parsed.error === "string"
        ? parsed.error
        : typeof parsed.error?.message === "string"
          ? parsed.error.message
          : typeof parsed.message === "string"
            ? parsed.message
            : null;
    if (message !== null) return printable(message);
  } catch {
    // Not JSON: quote the text itself.
  }
  return printable(text) || "(empty body)";
}

function printable(text: string): string {
  const flat = [...text].map((c) => (c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127 ? " " : c)).join("");
  return flat.trim().slice(0, MAX_MESSAGE_CHARS);
}

function causeText(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    if (cause instanceof Error) return printable(cause.message);
    return printable(error.message);
  }
  return printable(String(error));
}
