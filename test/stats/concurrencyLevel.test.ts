import assert from "node:assert/strict";
import { test } from "node:test";
import { requestMetrics } from "../../src/metrics/requestMetrics.ts";
import { closedLoop, concurrencyLevel, type LevelRequest } from "../../src/stats/concurrencyLevel.ts";
import { latencySummary, percentile } from "../../src/stats/latencySummary.ts";

test("percentile: Hyndman & Fan type 7, as R's quantile() and NumPy's default", () => {
  const values = [15, 20, 35, 40, 50];
  // R: quantile(c(15,20,35,40,50), c(.5,.9,.99,0,1)) = 35, 46, 49.6, 15, 50
  assert.equal(percentile(values, 50), 35);
  assert.ok(Math.abs(percentile(values, 90) - 46) < 1e-12);
  assert.ok(Math.abs(percentile(values, 99) - 49.6) < 1e-12);
  assert.equal(percentile(values, 0), 15);
  assert.equal(percentile(values, 100), 50);
  assert.equal(percentile([7], 99), 7);
  assert.ok(Number.isNaN(percentile([], 50)));
  const s = latencySummary([4, 1, 3, 2]);
  assert.deepEqual([s.n, s.mean, s.p50, s.min, s.max], [4, 2.5, 2.5, 1, 4]);
  assert.ok(Math.abs(s.p90 - 3.7) < 1e-12);
});

test("the metric definitions: TTFT to the first token, ITL from token counts, E2E to the last token", () => {
  const m = requestMetrics({
    requestStartMs: 100,
    promptSentMs: 101,
    firstTokenMs: 150,
    lastTokenMs: 250,
    promptTokens: 49,
    outputTokens: 11,
  });
  assert.deepEqual(m, {
    promptTokens: 49,
    promptMs: 49,
    promptTokensPerSecond: 1000,
    ttftMs: 50,
    outputTokens: 11,
    generationMs: 100,
    generationTokensPerSecond: 100,
    itlMs: 10,
    itlNotMeasuredReason: null,
    totalMs: 150,
  });
  const one = requestMetrics({
    ...{ requestStartMs: 0, promptSentMs: 0, firstTokenMs: 5, lastTokenMs: 5 },
    promptTokens: 1,
    outputTokens: 1,
  });
  assert.equal(one.itlMs, null, "one token has no inter-token latency");
  assert.match(one.itlNotMeasuredReason ?? "", /^no token to time in the span/);
  assert.equal(one.generationTokensPerSecond, null, "one token has no decode span: not measured, not 0");
  const oneChunk = requestMetrics({
    ...{ requestStartMs: 0, promptSentMs: 0, firstTokenMs: 5, lastTokenMs: 5 },
    promptTokens: 1,
    outputTokens: 10,
  });
  assert.equal(oneChunk.itlMs, null, "ten tokens in one chunk: 0 ms over 9 gaps is not an ITL of 0 ms");
  assert.match(oneChunk.itlNotMeasuredReason ?? "", /^the tokens arrived at once/);
});

function finished(ttftMs: number, totalMs: number, outputTokens: number): LevelRequest {
  const metrics = requestMetrics({
    requestStartMs: 0,
    promptSentMs: 0,
    firstTokenMs: ttftMs,
    lastTokenMs: totalMs,
    promptTokens: 10,
    outputTokens,
  });
  return { ok: true, metrics };
}

test("a level: throughput over its wall time, distributions over finished requests, errors counted", () => {
  const requests = [finished(10, 110, 11), finished(20, 220, 21), { ok: false as const, message: "HTTP 500: boom" }];
  const level = concurrencyLevel(2, requests, 500, 1234);
  assert.equal(level.status, "ok");
  if (level.status !== "ok") return;
  assert.equal(level.requests, 3);
  assert.equal(level.errorCount, 1);
  assert.deepEqual(level.errors, ["HTTP 500: boom"]);
  assert.equal(level.requestsPerSecond, 4, "2 finished in 0.5 s");
  assert.equal(level.outputTokensPerSecond, 64, "32 tokens in 0.5 s");
  assert.deepEqual([level.ttftMs.n, level.ttftMs.mean, level.ttftMs.p50], [2, 15, 15]);
  assert.deepEqual([level.itlMs.mean, level.e2eMs.max], [10, 220]);
  assert.deepEqual(level.itlNotMeasured, { requests: 0, reasons: [] });
  const withOneToken = concurrencyLevel(1, [finished(10, 110, 11), finished(10, 10, 1)], 200, null);
  assert.ok(withOneToken.status === "ok");
  assert.deepEqual([withOneToken.itlMs.n, withOneToken.itlMs.mean], [1, 10], "the one-token request is left out");
  assert.equal(withOneToken.itlNotMeasured?.requests, 1);
  assert.equal(level.peakRssBytes, 1234);
  assert.deepEqual(concurrencyLevel(4, [{ ok: false, message: "refused" }], 10, null), {
    concurrency: 4,
    status: "error",
    code: "all-requests-failed",
    message: "all 1 requests failed: refused",
  });
});

test("a level that took 0 ms: requests/s and output tokens/s are null with the reason, never 0 or Infinity", () => {
  const level = concurrencyLevel(2, [finished(0, 0, 1), finished(0, 0, 1)], 0, null);
  assert.ok(level.status === "ok");
  assert.equal(level.requestsPerSecond, null);
  assert.equal(level.outputTokensPerSecond, null);
  assert.equal(
    level.throughputNotMeasuredReason,
    "the level took 0 ms on the clock: no duration to divide the requests and tokens by",
  );
  // The distributions over the finished requests stay: only the rates need a duration.
  assert.deepEqual([level.requests, level.e2eMs.n], [2, 2]);
  const timed = concurrencyLevel(2, [finished(10, 110, 11)], 500, null);
  assert.ok(timed.status === "ok");
  assert.deepEqual([timed.requestsPerSecond, timed.throughputNotMeasuredReason], [2, null]);
});

test("closed loop: never more than N requests in flight, every index sent once, in order of sending", async () => {
  let inFlight = 0;
  let most = 0;
  const streams = new Set<number>();
  const { requests } = await closedLoop(3, 10, async (index, stream) => {
    inFlight++;
    most = Math.max(most, inFlight);
    streams.add(stream);
    await new Promise((resolve) => setTimeout(resolve, 5 + (index % 3)));
    inFlight--;
    return { ok: false, message: String(index) };
  });
  assert.equal(most, 3);
  assert.deepEqual([...streams].sort(), [0, 1, 2]);
  assert.deepEqual(
    requests.map((r) => (r.ok ? "" : r.message)),
    ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
  );
});
