import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { tsxExecArgv } from "../../src/runner/workerEntry.ts";

const mainPath = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));

/** Runs the real CLI (`gguf-bench <args>`) from source in a child process; `onStderr` sees stderr so far. */
export function runCli(
  args: string[],
  env: Record<string, string> = {},
  onStderr?: (stderr: string) => void,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...tsxExecArgv(), mainPath, ...args], {
      env: { ...process.env, CI: "true", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => {
      stdout += c;
    });
    child.stderr.on("data", (c) => {
      stderr += c;
      onStderr?.(stderr);
    });
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Flags that keep an end-to-end run small: one thread (fastest on a tiny model, and on a busy 2-core box). */
export const SMALL_RUN = [
  "--runs",
  "2",
  "--warmup",
  "1",
  "--max-tokens",
  "8",
  "--threads",
  "1",
  "--inference-context",
  "256",
  "--no-db",
  "--no-bandwidth",
  "--format",
  "json",
];
