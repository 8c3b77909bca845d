import assert from "node:assert/strict";
import os from "node:os";
import { test } from "node:test";
import { measureBandwidth, measureBandwidthDetailed } from "../../src/bandwidth/measureBandwidth.ts";

/** The tests share the machine with the rest of the suite: give the child far longer than its usual second. */
const PATIENT = { timeoutMs: 600_000 };

test("the probe runs in its own child process and reports its buffer, threads and both figures", async () => {
  const heapBefore = process.memoryUsage().arrayBuffers;
  const report = await measureBandwidthDetailed(PATIENT);
  assert.ok(report, "the bandwidth child returned nothing");
  assert.equal(report.type, "bandwidth");
  assert.ok(report.bufferBytes >= 128 * 1024 * 1024, "buffer smaller than the caches it must exceed");
  assert.equal(report.bufferBytes % 4096, 0);
  assert.equal(report.threads, os.availableParallelism());
  assert.ok(Number.isFinite(report.singleThreadBytesPerSecond) && report.singleThreadBytesPerSecond > 0);
  if (report.threads > 1) assert.ok(report.multiThreadBytesPerSecond > 0);
  // The 128+ MiB buffer lived in the child, never in this process.
  assert.ok(process.memoryUsage().arrayBuffers - heapBefore < 64 * 1024 * 1024);
});

test("measureBandwidth returns one finite positive figure in bytes per second", async () => {
  const bytesPerSecond = await measureBandwidth(PATIENT);
  assert.equal(typeof bytesPerSecond, "number");
  assert.ok(Number.isFinite(bytesPerSecond) && (bytesPerSecond as number) > 0);
});
