/**
 * Plays the runner's side of the worker protocol for tests and scripts/bench-fidelity.ts: forks
 * src/worker/main.ts through tsx, answers every `measure` by reading /proc/<pid>/status, collects every
 * message and resolves when the child exits. A deliberately small stand-in for src/runner (B2's), so the
 * worker is tested against the protocol alone.
 */
import { type ChildProcess, fork } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import type { MemorySnapshot } from "../../src/results/types.ts";
import type { ChildMessage, GroupJob, ParentMessage } from "../../src/worker/protocol.ts";

export const workerEntry = new URL("../../src/worker/main.ts", import.meta.url);

export interface WorkerRun {
  messages: ChildMessage[];
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const statusFields = {
  VmRSS: "vmRssBytes",
  RssAnon: "rssAnonBytes",
  RssFile: "rssFileBytes",
  VmHWM: "vmHwmBytes",
  VmSize: "vmSizeBytes",
} as const;

/** The five memory lines of /proc/<pid>/status, in bytes (the kernel writes them in kB). */
export function readStatus(pid: number): MemorySnapshot {
  const snapshot: MemorySnapshot = { vmRssBytes: 0, rssAnonBytes: 0, rssFileBytes: 0, vmHwmBytes: 0, vmSizeBytes: 0 };
  for (const line of readFileSync(`/proc/${pid}/status`, "utf8").split("\n")) {
    const match = /^(\w+):\s+(\d+) kB$/.exec(line);
    const field = match && statusFields[match[1] as keyof typeof statusFields];
    if (match && field) snapshot[field] = Number(match[2]) * 1024;
  }
  return snapshot;
}

/** Resets the kernel's high-water mark (VmHWM) of a process we own; harmless when not permitted. */
function resetHighWaterMark(pid: number): void {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
  } catch {
    // The peak then counts from process start: larger, never smaller, than the truth.
  }
}

export interface RunWorkerOptions {
  timeoutMs?: number;
  /** Called after each message is recorded (and a `measure` answered), e.g. to disconnect mid-run. */
  onMessage?: (message: ChildMessage, child: ChildProcess) => void;
}

export function runWorker(job: GroupJob, options: RunWorkerOptions = {}): Promise<WorkerRun> {
  const child = fork(workerEntry, [], {
    execArgv: ["--import", "tsx", "--expose-gc"],
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  const messages: ChildMessage[] = [];
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  const reply = (message: ParentMessage) => child.send(message);
  child.on("message", (raw) => {
    const message = raw as ChildMessage;
    messages.push(message);
    if (message.type === "measure" && child.pid !== undefined && child.connected) {
      const snapshot = readStatus(child.pid);
      const peakRssBytes = Math.max(snapshot.vmHwmBytes, snapshot.vmRssBytes);
      if (message.resetPeak) resetHighWaterMark(child.pid);
      reply({ type: "measured", requestId: message.requestId, snapshot, peakRssBytes });
    }
    options.onMessage?.(message, child);
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 120_000);
  child.send({ type: "run-group", job } satisfies ParentMessage);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (exitCode, signal) => {
      clearTimeout(timer);
      resolve({ messages, exitCode, signal, stdout, stderr });
    });
  });
}

export function ofType<T extends ChildMessage["type"]>(run: WorkerRun, type: T): Extract<ChildMessage, { type: T }>[] {
  return run.messages.filter((message): message is Extract<ChildMessage, { type: T }> => message.type === type);
}
