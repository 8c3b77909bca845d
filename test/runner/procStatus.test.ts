import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { test } from "node:test";
import { MemorySampler } from "../../src/runner/memorySampler.ts";
import { parseProcStatus, readProcStatus } from "../../src/runner/procStatus.ts";

test("parses the kB fields of /proc/<pid>/status into bytes", () => {
  const text =
    "Name:\tnode\nVmPeak:\t  9000 kB\nVmSize:\t    2920 kB\nVmHWM:\t    1784 kB\nVmRSS:\t    1700 kB\nRssAnon:\t     112 kB\nRssFile:\t    1588 kB\nThreads:\t1\n";
  assert.deepEqual(parseProcStatus(text), {
    vmRssBytes: 1700 * 1024,
    rssAnonBytes: 112 * 1024,
    rssFileBytes: 1588 * 1024,
    vmHwmBytes: 1784 * 1024,
    vmSizeBytes: 2920 * 1024,
  });
});

test("reads a live process from outside, and null once it is gone", {
  skip: process.platform !== "linux",
}, async () => {
  const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 5000)"]);
  await new Promise((resolve) => child.once("spawn", resolve));
  const snapshot = readProcStatus(child.pid as number);
  assert.ok(snapshot && snapshot.vmRssBytes > 0 && snapshot.vmHwmBytes >= snapshot.vmRssBytes);
  assert.ok(snapshot.rssAnonBytes + snapshot.rssFileBytes <= snapshot.vmRssBytes);
  child.kill("SIGKILL");
  await new Promise((resolve) => child.once("close", resolve));
  assert.equal(readProcStatus(child.pid as number), null);
});

test("the sampler's peak sees an allocation that was freed again, and restarts after a reset", {
  skip: process.platform !== "linux",
}, async () => {
  // The child touches 96 MiB, drops it, then idles: the peak since start must be above what it holds now.
  const script =
    "let b = Buffer.alloc(96 * 1024 * 1024, 1); setTimeout(() => { b = null; globalThis.gc(); process.send('freed'); }, 300); setTimeout(() => {}, 5000);";
  const child = spawn(process.execPath, ["--expose-gc", "-e", script], {
    stdio: ["ignore", "ignore", "ignore", "ipc"],
  });
  await new Promise((resolve) => child.once("message", resolve));
  const sampler = new MemorySampler(child.pid as number);
  const first = sampler.measure(true);
  assert.ok(first);
  assert.ok(first.peakRssBytes >= 96 * 1024 * 1024, `peak ${first.peakRssBytes} should include the 96 MiB`);
  const second = sampler.measure(false);
  assert.ok(second);
  assert.ok(second.peakRssBytes <= first.peakRssBytes);
  // When the child gave memory back, the peak after the reset restarts below the old one.
  const released = first.peakRssBytes - first.snapshot.vmRssBytes > 16 * 1024 * 1024;
  if (!sampler.resetRefused && released)
    assert.ok(second.peakRssBytes < first.peakRssBytes, `after the reset the peak restarts (${second.peakRssBytes})`);
  assert.ok(second.peakRssBytes >= second.snapshot.vmRssBytes);
  sampler.stop();
  child.kill("SIGKILL");
  await new Promise((resolve) => child.once("close", resolve));
});
