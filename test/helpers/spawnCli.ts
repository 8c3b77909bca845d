import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { tsxExecArgv } from "../../src/runner/workerEntry.ts";

const mainPath = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));

export interface CliProcess {
  child: ChildProcessWithoutNullStreams;
  /** Resolves once stderr matches (rejects if the process ends first). */
  waitForStderr(pattern: RegExp): Promise<void>;
  /** What it has printed on stderr so far. */
  printed(): string;
  /** The end: exit code (null when killed by a signal), everything printed. */
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/**
 * Starts the real CLI (`gguf-bench <args>`) from source as a child process, plain progress (CI=true), and lets
 * a test act on what it prints (send a signal, fill a disk) while it runs. `timeoutMs` kills it (SIGKILL) so
 * a hang fails the test instead of stalling it; the result then says so in `stderr`.
 */
export function spawnCli(
  args: string[],
  options: {
    env?: Record<string, string>;
    cwd?: string;
    timeoutMs?: number;
    stdin?: "ignore" | "pipe";
    /** Run as this user (and group of the same number): needs root. */
    uid?: number;
  } = {},
): CliProcess {
  const child = spawn(process.execPath, [...tsxExecArgv(), mainPath, ...args], {
    env: { ...process.env, CI: "true", ...options.env },
    cwd: options.cwd,
    stdio: ["pipe", "pipe", "pipe"],
    ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.uid }),
  });
  if (options.stdin !== "pipe") child.stdin.end();
  let stdout = "";
  let stderr = "";
  let ended = false;
  const waiters: { pattern: RegExp; resolve: () => void; reject: (e: Error) => void }[] = [];
  const check = () => {
    for (const w of [...waiters]) {
      if (w.pattern.test(stderr)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  child.stdout.on("data", (c) => {
    stdout += c;
  });
  child.stderr.on("data", (c) => {
    stderr += c;
    check();
  });
  const timer = setTimeout(() => {
    stderr += `\n[test: killed after ${options.timeoutMs} ms: the command hung]\n`;
    child.kill("SIGKILL");
  }, options.timeoutMs ?? 600_000);
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>(
    (resolve) => {
      child.on("close", (code, signal) => {
        clearTimeout(timer);
        ended = true;
        for (const w of waiters.splice(0))
          w.reject(new Error(`the command ended before printing ${w.pattern}: ${stderr}`));
        resolve({ code, signal, stdout, stderr });
      });
    },
  );
  return {
    child,
    done,
    printed: () => stderr,
    waitForStderr(pattern) {
      if (pattern.test(stderr)) return Promise.resolve();
      if (ended) return Promise.reject(new Error(`the command ended before printing ${pattern}: ${stderr}`));
      return new Promise((resolve, reject) => waiters.push({ pattern, resolve, reject }));
    },
  };
}
