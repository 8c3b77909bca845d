import { spawn } from "node:child_process";
import { createWriteStream, existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { GgufBenchError } from "../errors.ts";
import { bundledLlamaCppCommit, engineBuildDir, LLAMA_CPP_TOOLS, nodeLlamaCppDir } from "./enginePaths.ts";

/**
 * The cmake configuration of `gguf-bench engine build`: a Release build with the machine's native CPU flags
 * (GGML_NATIVE is on by default), no network code (LLAMA_CURL off), only the tools we run.
 */
export const CMAKE_CONFIGURE_FLAGS = [
  "-DCMAKE_BUILD_TYPE=Release",
  "-DLLAMA_CURL=OFF",
  "-DLLAMA_BUILD_TESTS=OFF",
  "-DLLAMA_BUILD_EXAMPLES=OFF",
  "-DLLAMA_BUILD_SERVER=ON",
  "-DLLAMA_BUILD_TOOLS=ON",
] as const;

/** The line a finished build leaves at the end of cmake.log (`exit 0` when it worked). */
const EXIT_LINE = /^exit (\d+)\s*$/;
/** A log without its exit line and untouched this long, with no cmake running, is a build that died. */
const STALE_LOG_MS = 120_000;

export type BuildState =
  | { state: "built"; dir: string; binDir: string }
  | { state: "building"; dir: string; log: string }
  | { state: "failed"; dir: string; log: string; exitCode: number }
  | { state: "absent"; dir: string };

/**
 * Where the build of the bundled llama.cpp stands: a cmake process working in the folder, or a log without its
 * exit line written to in the last two minutes ("building": another `engine build`, or one started by hand with
 * the same layout); every tool present ("built"); a log ending in a non-zero `exit N` ("failed"); otherwise
 * "absent" (nothing, or a build that died: building again reuses what it compiled).
 */
export function llamaCppBuildState(): BuildState {
  const commit = bundledLlamaCppCommit();
  if (commit === null)
    throw new GgufBenchError(
      "no-llama-source",
      `node-llama-cpp's bundled llama.cpp source (llama/gitRelease.bundle) was not found; reinstall with npm ci`,
    );
  const dir = engineBuildDir(commit);
  const binDir = path.join(dir, "build", "bin");
  const log = path.join(dir, "cmake.log");
  const exitCode = logExitCode(log);
  if (cmakeRunningIn(dir) || (exitCode === null && modifiedWithin(log, STALE_LOG_MS)))
    return { state: "building", dir, log };
  if (LLAMA_CPP_TOOLS.every((tool) => existsSync(path.join(binDir, tool)))) return { state: "built", dir, binDir };
  if (exitCode !== null && exitCode !== 0) return { state: "failed", dir, log, exitCode };
  return { state: "absent", dir };
}

/** The `exit N` code at the end of a build log; null when there is no log or no exit line yet. */
export function logExitCode(log: string): number | null {
  let text: string;
  try {
    const size = statSync(log).size;
    text = readFileSync(log, "utf8").slice(Math.max(0, size - 4096));
  } catch {
    return null;
  }
  const last = text.trimEnd().split("\n").at(-1) ?? "";
  const match = EXIT_LINE.exec(last);
  return match ? Number(match[1]) : null;
}

function modifiedWithin(file: string, ms: number): boolean {
  try {
    return Date.now() - statSync(file).mtimeMs < ms;
  } catch {
    return false;
  }
}

/** Whether some process (any owner we can see) runs cmake or make on a path inside `dir`. */
function cmakeRunningIn(dir: string): boolean {
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return false;
  }
  for (const pid of pids) {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
      if (/(^|\/)(cmake|make|gmake|ninja)$/.test(argv[0] ?? "") && argv.some((arg) => arg.includes(dir))) return true;
    } catch {
      // The process ended while we looked.
    }
  }
  return false;
}

export interface BuildOptions {
  /** Parallel compile jobs (default: the cores available). */
  jobs?: number;
  /** Every line of progress (cmake's output is in cmake.log). */
  onLine: (line: string) => void;
  signal?: AbortSignal;
  /** How often to look at a build that is already running, in ms. */
  pollMs?: number;
}

/**
 * Builds llama-server, llama-bench, llama-perplexity and llama-quantize from the llama.cpp source node-llama-cpp
 * ships (so both engines run the same llama.cpp), into `engineBuildDir(commit)`: the source cloned from the
 * bundle into `src/`, cmake's build tree in `build/`, everything cmake printed in `cmake.log` ending with
 * `exit N`. Reuses a finished build; waits for one that is running instead of starting a second.
 * Returns the folder holding the binaries. Errors: GgufBenchError "engine-build-failed" (quotes cmake.log's path).
 */
export async function buildLlamaCppTools(options: BuildOptions): Promise<string> {
  let state = llamaCppBuildState();
  if (state.state === "building") {
    options.onLine(`a build is already running in ${state.dir}; waiting for it (log: ${state.log})`);
    state = await waitForBuild(options);
  }
  if (state.state === "built") return state.binDir;
  const { dir } = state;
  const src = path.join(dir, "src");
  const build = path.join(dir, "build");
  const log = path.join(dir, "cmake.log");
  await mkdir(dir, { recursive: true });
  const out = createWriteStream(log, { flags: "w" });
  const step = async (what: string, command: string, args: string[]) => {
    options.onLine(what);
    out.write(`$ ${command} ${args.join(" ")}\n`);
    const code = await runLogged(command, args, out, options.signal);
    if (code !== 0) {
      out.end(`exit ${code}\n`);
      throw new GgufBenchError("engine-build-failed", `${what} failed (exit ${code}); see ${log}`);
    }
  };
  if (!existsSync(path.join(src, "CMakeLists.txt"))) {
    const bundle = path.join(nodeLlamaCppDir(), "llama", "gitRelease.bundle");
    await step(`cloning llama.cpp from ${bundle}`, "git", ["clone", "--quiet", bundle, src]);
  }
  await step("configuring (cmake)", "cmake", ["-S", src, "-B", build, ...CMAKE_CONFIGURE_FLAGS]);
  const jobs = options.jobs ?? os.availableParallelism();
  await step(`compiling with ${jobs} jobs (several minutes; log: ${log})`, "cmake", [
    "--build",
    build,
    `-j${jobs}`,
    "--target",
    ...LLAMA_CPP_TOOLS,
  ]);
  await new Promise<void>((resolve) => out.end("exit 0\n", resolve));
  return path.join(build, "bin");
}

async function waitForBuild(options: BuildOptions): Promise<BuildState> {
  for (;;) {
    if (options.signal?.aborted) throw new GgufBenchError("interrupted", "interrupted while waiting for the build");
    const state = llamaCppBuildState();
    if (state.state === "built") return state;
    if (state.state === "failed")
      throw new GgufBenchError(
        "engine-build-failed",
        `the running build failed (exit ${state.exitCode}); see ${state.log}`,
      );
    if (state.state === "absent") return state;
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 5000));
  }
}

/** Runs a command with its output appended to the log; resolves with its exit code (a missing program: 127). */
function runLogged(
  command: string,
  args: string[],
  out: NodeJS.WritableStream,
  signal: AbortSignal | undefined,
): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], signal });
    child.stdout.on("data", (chunk: Buffer) => out.write(chunk));
    child.stderr.on("data", (chunk: Buffer) => out.write(chunk));
    child.on("error", (error) => {
      out.write(`${error.message}\n`);
      resolve((error as NodeJS.ErrnoException).code === "ENOENT" ? 127 : 1);
    });
    child.on("close", (code) => resolve(code ?? 1));
  });
}
