/**
 * The bandwidth probe's child process (forked by measureBandwidth): its own process so the benchmark's
 * 512 MiB buffer and worker threads never touch the caller's heap or timings. Sends one BandwidthReport.
 *
 * Why memchr: Buffer#indexOf of a byte that is absent is a libc memchr over the whole buffer, vectorised
 * and purely read-bound; a JavaScript Float64Array loop measured about a quarter of that on this class of
 * machine (compute-bound, so it under-states the memory system).
 */
import os from "node:os";
import { Worker } from "node:worker_threads";

export interface BandwidthReport {
  type: "bandwidth";
  bufferBytes: number;
  passes: number;
  threads: number;
  /** Best pass with one thread reading the whole buffer. */
  singleThreadBytesPerSecond: number;
  /** Best pass with `threads` threads each reading its own slice at once. */
  multiThreadBytesPerSecond: number;
}
export interface BandwidthFailure {
  type: "bandwidth-failed";
  message: string;
}

/** Much larger than any last-level cache in sight (32 MiB L3 here; the largest desktop parts have ~128 MiB). */
const MAX_BUFFER_BYTES = 512 * 1024 * 1024;
const MIN_BUFFER_BYTES = 128 * 1024 * 1024;
const PASSES = 8;

// Plain JavaScript evaluated in each worker thread: no loader needed whether we run from .ts or .js.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const slice = Buffer.from(workerData.shared, workerData.offset, workerData.length);
parentPort.on("message", () => { slice.indexOf(0); parentPort.postMessage(0); });
`;

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

async function measure(): Promise<BandwidthReport> {
  // A quarter of free memory at most: the probe must never push the machine into swap.
  const bufferBytes = Math.min(MAX_BUFFER_BYTES, Math.floor(os.freemem() / 4 / 4096) * 4096);
  if (bufferBytes < MIN_BUFFER_BYTES) throw new Error(`only ${os.freemem()} bytes free: too little to measure`);
  const shared = new SharedArrayBuffer(bufferBytes);
  // Filled with a non-zero byte: untouched pages all map the kernel's one zero page, which sits in cache.
  Buffer.from(shared).fill(1);

  const whole = Buffer.from(shared);
  let single = 0;
  for (let pass = 0; pass < PASSES; pass++) {
    const start = process.hrtime.bigint();
    if (whole.indexOf(0) !== -1) throw new Error("buffer was modified while measuring");
    single = Math.max(single, bufferBytes / seconds(start));
  }

  const threads = Math.max(1, os.availableParallelism());
  let multi = 0;
  if (threads > 1) {
    const sliceBytes = Math.floor(bufferBytes / threads / 4096) * 4096;
    const workers = Array.from(
      { length: threads },
      (_, i) =>
        new Worker(WORKER_SOURCE, { eval: true, workerData: { shared, offset: i * sliceBytes, length: sliceBytes } }),
    );
    try {
      const round = () =>
        Promise.all(
          workers.map(
            (w) =>
              new Promise<void>((resolve, reject) => {
                w.once("message", () => resolve());
                w.once("error", reject);
                w.postMessage(0);
              }),
          ),
        );
      await round(); // the first round pays thread start-up and compilation
      for (let pass = 0; pass < PASSES; pass++) {
        const start = process.hrtime.bigint();
        await round();
        multi = Math.max(multi, (sliceBytes * threads) / seconds(start));
      }
    } finally {
      await Promise.all(workers.map((w) => w.terminate()));
    }
  }
  return {
    type: "bandwidth",
    bufferBytes,
    passes: PASSES,
    threads,
    singleThreadBytesPerSecond: single,
    multiThreadBytesPerSecond: multi,
  };
}

if (process.send) {
  const send = process.send.bind(process);
  measure().then(
    (report) => send(report, () => process.exit(0)),
    (error: unknown) => {
      const failure: BandwidthFailure = {
        type: "bandwidth-failed",
        message: error instanceof Error ? error.message : String(error),
      };
      send(failure, () => process.exit(1));
    },
  );
}
