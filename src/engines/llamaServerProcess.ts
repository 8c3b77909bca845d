import { type ChildProcess, spawn } from "node:child_process";
import type { MemorySnapshot } from "../results/types.ts";
import { lastMeaningfulLine } from "../runner/lastMeaningfulLine.ts";
import { MemorySampler } from "../runner/memorySampler.ts";
import { freePort, portInUse } from "./freePort.ts";
import { type LlamaServerLaunch, llamaServerArgs } from "./llamaServerArgs.ts";
import { trackServer, untrackServer } from "./serverRegistry.ts";

/** llama-server's lines that say that loading failed, not why (the reason is an earlier line). */
const GENERIC_FAREWELL = /failed to load model|exiting due to|cleaning up|while trying to fit params/i;
/** Keep this much of the server's log: a failed load says why in its last lines. */
const LOG_TAIL_CHARS = 16_384;
/** How often /health is asked while the model loads (the log line "model loaded" usually answers first). */
const HEALTH_POLL_MS = 25;
/** A port taken between our pick and the server's bind: try again with another, this many times. */
const BIND_ATTEMPTS = 3;
/** After SIGTERM, how long the server gets to shut down before SIGKILL. */
const STOP_GRACE_MS = 5000;

export interface ServerExit {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
}

export interface RunningServer {
  pid: number;
  baseUrl: string;
  /** Samples the server's /proc/<pid>/status from the moment it started. */
  sampler: MemorySampler;
  /** Spawn until ready (`/health` answers 200 or the log says "model loaded"), ms. */
  loadMs: number;
  /** The first read of its memory, right after the program started: before the model was read. */
  before: MemorySnapshot;
  /** Resolves when the process has ended, however it ended. */
  exited: Promise<ServerExit>;
  alive(): boolean;
  /** The last meaningful line of its log (its own reason for failing), or null. */
  reason(): string | null;
  /** SIGTERM, then SIGKILL after a grace period; resolves when it has ended. */
  stop(): Promise<ServerExit>;
  /** Whether an exit was our doing (a signal we sent, or a clean exit after we asked it to stop). */
  endedByUs(exit: ServerExit): boolean;
  /** SIGKILL now (timeout, Ctrl-C). */
  kill(): void;
}

export type ServerStart =
  | { ok: true; server: RunningServer }
  | {
      ok: false;
      code: "load-failed" | "spawn-failed" | "aborted" | "port-taken";
      message: string;
      exit: ServerExit | null;
    };

/**
 * Starts llama-server for one launch on a free loopback port and waits until it is ready, timing the load from
 * spawn to ready. A server that exits first is a load failure quoting its own last error line; one that could not
 * bind its port is started again on another. The process is registered so that it never outlives gguf-bench.
 */
export async function startLlamaServer(
  binary: string,
  launch: Omit<LlamaServerLaunch, "port">,
  signal?: AbortSignal,
  /** Where ports come from (tests hand out a taken one first). */
  pickPort: () => Promise<number> = freePort,
): Promise<ServerStart> {
  for (let attempt = 1; ; attempt++) {
    const port = await pickPort();
    const started = await startOnce(binary, { ...launch, port }, signal);
    if (started.ok || started.code !== "port-taken") return started;
    if (attempt >= BIND_ATTEMPTS) return { ...started, code: "load-failed" };
  }
}

function startOnce(binary: string, launch: LlamaServerLaunch, signal?: AbortSignal): Promise<ServerStart> {
  return new Promise((resolve) => {
    const spawnedAt = performance.now();
    let child: ChildProcess;
    try {
      child = spawn(binary, llamaServerArgs(launch), { stdio: ["ignore", "pipe", "pipe"] });
    } catch (error) {
      resolve({ ok: false, code: "spawn-failed", message: String(error), exit: null });
      return;
    }
    let log = "";
    let sampler: MemorySampler | null = null;
    const onData = (chunk: Buffer) => {
      log = (log + chunk.toString("utf8")).slice(-LOG_TAIL_CHARS);
      if (!settled && /\bmodel loaded\b/.test(log)) ready();
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    const exited = new Promise<ServerExit>((done) => {
      child.on("close", (exitCode, exitSignal) => {
        untrackServer(child);
        sampler?.stop();
        done({ exitCode, signal: exitSignal });
      });
    });
    let settled = false;
    let spawnError: string | null = null;
    child.on("error", (error) => {
      spawnError = error.message;
    });
    if (child.pid === undefined) {
      // spawn failed (e.g. ENOENT); the error event says why.
      setImmediate(() =>
        resolve({ ok: false, code: "spawn-failed", message: spawnError ?? `cannot start ${binary}`, exit: null }),
      );
      return;
    }
    trackServer(child);
    const pid = child.pid;
    const measured = new MemorySampler(pid);
    sampler = measured;
    const before = measured.last ?? { vmRssBytes: 0, rssAnonBytes: 0, rssFileBytes: 0, vmHwmBytes: 0, vmSizeBytes: 0 };
    const baseUrl = `http://127.0.0.1:${launch.port}`;
    const alive = () => child.exitCode === null && child.signalCode === null;
    const sent = new Set<NodeJS.Signals>();
    const send = (name: NodeJS.Signals) => {
      if (!alive()) return;
      sent.add(name);
      child.kill(name);
    };
    const kill = () => send("SIGKILL");
    const server = (loadMs: number): RunningServer => ({
      pid,
      baseUrl,
      sampler: measured,
      loadMs,
      before,
      exited,
      alive,
      reason: () => serverReason(log),
      kill,
      endedByUs: (exit) => (exit.signal !== null ? sent.has(exit.signal) : exit.exitCode === 0 && sent.size > 0),
      stop: async () => {
        send("SIGTERM");
        const timer = setTimeout(kill, STOP_GRACE_MS);
        const end = await exited;
        clearTimeout(timer);
        return end;
      },
    });
    const ready = () => {
      if (settled) return;
      settled = true;
      cleanup();
      resolve({ ok: true, server: server(performance.now() - spawnedAt) });
    };
    const fail = (code: "load-failed" | "aborted" | "port-taken", message: string, exit: ServerExit | null) => {
      if (settled) return;
      settled = true;
      cleanup();
      resolve({ ok: false, code, message, exit });
    };
    const poll = setInterval(() => {
      fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(1000) })
        .then((response) => {
          if (response.ok) ready();
          return response.body?.cancel();
        })
        .catch(() => undefined);
    }, HEALTH_POLL_MS);
    const onAbort = () => {
      kill();
      fail("aborted", "interrupted while the server loaded", null);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    if (signal?.aborted) onAbort();
    void exited.then(async (exit) => {
      const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.exitCode}`;
      const said = serverReason(log);
      const taken = /couldn't bind/i.test(log) || (exit.signal === null && !settled && (await portInUse(launch.port)));
      fail(taken ? "port-taken" : "load-failed", `llama-server ${how} while loading${said ? `: ${said}` : ""}`, exit);
    });
    function cleanup() {
      clearInterval(poll);
      signal?.removeEventListener("abort", onAbort);
    }
  });
}

/**
 * The line of llama-server's log that says why it failed: the last error-like line that is not its generic
 * farewell ("exiting due to model loading error"), e.g. "llama_model_load: error loading model: missing tensor
 * 'blk.2.attn_norm.weight'"; else the last meaningful line. Log prefixes (timestamp, level) are dropped.
 */
export function serverReason(log: string): string | null {
  const lines = log.split("\n").map((line) => line.replace(/^[\d.]+ [IWED] /, "").trim());
  const specific = lines.findLast(
    (line) =>
      /error|fail|couldn't|unable|invalid|missing|not supported|out of memory/i.test(line) &&
      !GENERIC_FAREWELL.test(line),
  );
  return specific === undefined ? lastMeaningfulLine(lines.join("\n")) : specific.slice(0, 300);
}
