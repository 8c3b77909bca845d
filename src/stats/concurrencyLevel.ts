import type { RequestMetrics } from "../metrics/requestMetrics.ts";
import type { ConcurrencyResult } from "../results/types.ts";
import { latencySummary } from "./latencySummary.ts";

/** How one request of a concurrency level ended. */
export type LevelRequest = { ok: true; metrics: RequestMetrics } | { ok: false; message: string };

/** Distinct reasons kept per level, of the errors and of the requests without an ITL (the counts cover them all). */
const MAX_REASONS = 5;

/**
 * One concurrency level's figures from its requests (pure). Throughput is over the level's wall time, from the
 * first request sent to the last one finished: requests/s = finished requests ÷ duration, output tokens/s =
 * every finished request's generated tokens ÷ duration; both null, with `throughputNotMeasuredReason`, when the
 * level took no measurable time (a duration of 0 ms has nothing to divide by: no rate of 0 or Infinity). TTFT, ITL and E2E are per-request distributions of the
 * finished requests (src/metrics/requestMetrics.ts defines each); a request without an ITL (null: one token, or all
 * in one chunk) is left out of the ITL distribution and counted, with its reason, in `itlNotMeasured`. A level
 * where nothing finished is an error.
 */
export function concurrencyLevel(
  concurrency: number,
  requests: LevelRequest[],
  durationMs: number,
  peakRssBytes: number | null,
): ConcurrencyResult {
  const done = requests.flatMap((r) => (r.ok ? [r.metrics] : []));
  const failed = requests.flatMap((r) => (r.ok ? [] : [r.message]));
  if (done.length === 0)
    return {
      concurrency,
      status: "error",
      code: "all-requests-failed",
      message: `all ${requests.length} requests failed${failed[0] ? `: ${failed[0]}` : ""}`,
    };
  const seconds = durationMs / 1000;
  const timed = Number.isFinite(seconds) && seconds > 0;
  const outputTokens = done.reduce((sum, m) => sum + m.outputTokens, 0);
  const noItl = done.flatMap((m) => (m.itlMs === null ? [m.itlNotMeasuredReason ?? "no span to time"] : []));
  return {
    concurrency,
    status: "ok",
    requests: requests.length,
    errorCount: failed.length,
    errors: [...new Set(failed)].slice(0, MAX_REASONS),
    durationMs,
    requestsPerSecond: timed ? done.length / seconds : null,
    outputTokensPerSecond: timed ? outputTokens / seconds : null,
    throughputNotMeasuredReason: timed
      ? null
      : `the level took ${durationMs} ms on the clock: no duration to divide the requests and tokens by`,
    ttftMs: latencySummary(done.map((m) => m.ttftMs)),
    itlMs: latencySummary(done.flatMap((m) => (m.itlMs === null ? [] : [m.itlMs]))),
    itlNotMeasured: { requests: noItl.length, reasons: [...new Set(noItl)].slice(0, MAX_REASONS) },
    e2eMs: latencySummary(done.map((m) => m.totalMs)),
    peakRssBytes,
  };
}

/**
 * A closed loop: `concurrency` streams, each sending its next request as soon as its last one ended, until
 * `requests` were sent. `send(index, stream)` gets the request's index and the stream (0-based) sending it, and
 * must not throw. Returns every request's outcome in index order and the wall time from first send to last end.
 */
export async function closedLoop(
  concurrency: number,
  requests: number,
  send: (index: number, stream: number) => Promise<LevelRequest>,
): Promise<{ requests: LevelRequest[]; durationMs: number }> {
  const outcomes: LevelRequest[] = new Array(requests);
  let next = 0;
  const start = performance.now();
  const stream = async (id: number) => {
    while (next < requests) {
      const index = next++;
      outcomes[index] = await send(index, id);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, requests) }, (_, id) => stream(id)));
  return { requests: outcomes, durationMs: performance.now() - start };
}
