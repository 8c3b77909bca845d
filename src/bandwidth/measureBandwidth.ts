import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { BandwidthFailure, BandwidthReport } from "./bandwidthChild.ts";

export type { BandwidthReport } from "./bandwidthChild.ts";

/** The probe takes about a second; anything near this means the machine is thrashing. */
const TIMEOUT_MS = 60_000;

/**
 * This machine's streaming read bandwidth in bytes per second: the best of a few reads over a buffer much
 * larger than the caches, in its own child process; null when it could not be measured. The roofline
 * bound uses the best figure seen (one thread or all), so it is an upper bound on what decode can reach.
 */
export async function measureBandwidth(options: { timeoutMs?: number } = {}): Promise<number | null> {
  const report = await measureBandwidthDetailed(options);
  if (!report) return null;
  return Math.max(report.singleThreadBytesPerSecond, report.multiThreadBytesPerSecond);
}

/**
 * The same measurement with its detail (buffer size, threads, one-thread and all-thread figures).
 * `timeoutMs` (default 60 s) bounds the child; on a heavily loaded machine the probe can need longer.
 */
export function measureBandwidthDetailed(options: { timeoutMs?: number } = {}): Promise<BandwidthReport | null> {
  // From source the child is a .ts file and needs tsx's loader; from dist it is plain .js.
  const fromSource = import.meta.url.endsWith(".ts");
  const script = fileURLToPath(new URL(`./bandwidthChild.${fromSource ? "ts" : "js"}`, import.meta.url));
  const execArgv = fromSource ? ["--import", import.meta.resolve("tsx")] : [];
  return new Promise((resolve) => {
    let settled = false;
    const finish = (value: BandwidthReport | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      resolve(value);
    };
    const child = fork(script, [], { execArgv, stdio: ["ignore", "ignore", "ignore", "ipc"] });
    const timer = setTimeout(() => finish(null), options.timeoutMs ?? TIMEOUT_MS);
    child.on("message", (message: BandwidthReport | BandwidthFailure) => {
      finish(message.type === "bandwidth" ? message : null);
    });
    child.on("error", () => finish(null));
    // "close" rather than "exit": it comes after the IPC channel has delivered everything.
    child.on("close", () => finish(null));
  });
}
