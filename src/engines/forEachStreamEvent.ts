import { GgufBenchError } from "../errors.ts";
import { errorMessage, type StreamRequest, streamEvents } from "./streamEvents.ts";

/** How a stream read ended: through (or stopped by the reader), or failed with a code and a printable message. */
export type StreamOutcome = { ok: true } | { ok: false; code: string; message: string };

/**
 * POSTs `request` and hands every event of its server-sent-event stream (`streamEvents`) to `onEvent`, with the
 * time its bytes arrived (performance.now(), ms), until the stream ends or `onEvent` returns true. Each payload is
 * checked first: one that is not an object fails "malformed-stream" (`a stream <noun> is not an object`), one
 * with an `error` field fails "server-error" with the server's message. Never throws: every failure of the stream
 * (the codes of `streamEvents`) or thrown by `onEvent` is returned, a non-GgufBenchError as "request-failed".
 */
export async function forEachStreamEvent<T extends { error?: unknown }>(
  request: StreamRequest,
  noun: string,
  onEvent: (event: T, atMs: number) => boolean,
): Promise<StreamOutcome> {
  try {
    for await (const { data, atMs } of streamEvents(request)) {
      const event = data as T;
      if (event === null || typeof event !== "object")
        throw new GgufBenchError("malformed-stream", `a stream ${noun} is not an object`);
      if (event.error !== undefined)
        throw new GgufBenchError("server-error", errorMessage(JSON.stringify({ error: event.error })));
      if (onEvent(event, atMs)) break;
    }
    return { ok: true };
  } catch (error) {
    const e = error instanceof GgufBenchError ? error : new GgufBenchError("request-failed", String(error));
    return { ok: false, code: e.code, message: e.message };
  }
}
