import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { appendFile, chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { bundledLlamaCppCommit, engineBuildDir, LLAMA_CPP_TOOLS } from "../../src/engines/enginePaths.ts";
import type { EngineListing } from "../../src/engines/listEngines.ts";
import { buildLlamaCppTools, llamaCppBuildState, logExitCode } from "../../src/engines/llamaCppBuild.ts";

const repo = fileURLToPath(new URL("../..", import.meta.url));
let cache: string;
const savedCache = process.env.XDG_CACHE_HOME;

before(async () => {
  cache = await mkdtemp(path.join(os.tmpdir(), "gguf-bench-engine-build-"));
  process.env.XDG_CACHE_HOME = cache;
});
after(async () => {
  if (savedCache === undefined) delete process.env.XDG_CACHE_HOME;
  else process.env.XDG_CACHE_HOME = savedCache;
  await rm(cache, { recursive: true, force: true });
});

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "src/cli/main.ts", ...args],
      { cwd: repo, env: { ...process.env, XDG_CACHE_HOME: cache } },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

/**
 * A stand-in for a finished build: each tool a script that answers --version as llama.cpp's tools do (llama-bench
 * rejects it, as the real one does), and the build-info.cpp cmake generates in build/common/ (its real lines).
 */
async function fakeTools(binDir: string): Promise<void> {
  await mkdir(binDir, { recursive: true });
  for (const tool of LLAMA_CPP_TOOLS) {
    const file = path.join(binDir, tool);
    await writeFile(
      file,
      tool === "llama-bench"
        ? '#!/bin/sh\necho "error: invalid parameter for argument: $1" >&2\nexit 1\n'
        : '#!/bin/sh\necho "version: 1 (80fb11a)" >&2\necho "built with GNU 12.2.0 for Linux x86_64" >&2\n',
    );
    await chmod(file, 0o755);
  }
  const common = path.join(binDir, "..", "common");
  await mkdir(common, { recursive: true });
  await writeFile(
    path.join(common, "build-info.cpp"),
    [
      "int LLAMA_BUILD_NUMBER = 1;",
      'char const * LLAMA_COMMIT = "80fb11a";',
      'char const * LLAMA_COMPILER = "GNU 12.2.0";',
      'char const * LLAMA_BUILD_TARGET = "Linux x86_64";',
      "",
    ].join("\n"),
  );
}

test("the build folder is named after the bundled llama.cpp commit, under the user cache", () => {
  const commit = bundledLlamaCppCommit();
  assert.match(commit ?? "", /^[0-9a-f]{40}$/);
  assert.equal(
    engineBuildDir(commit as string),
    path.join(cache, "gguf-bench", "engines", `llama.cpp-${commit?.slice(0, 12)}`),
  );
  assert.equal(llamaCppBuildState().state, "absent");
});

test("logExitCode reads the exit line a finished build leaves, and nothing else", async () => {
  const log = path.join(cache, "x.log");
  assert.equal(logExitCode(log), null, "no log");
  await writeFile(log, "[ 50%] Building CXX object\n");
  assert.equal(logExitCode(log), null, "still running");
  await appendFile(log, "exit 2\n");
  assert.equal(logExitCode(log), 2);
});

test("a build that is running is waited for, not started again; then its tools are used", async () => {
  const dir = engineBuildDir(bundledLlamaCppCommit() as string);
  await mkdir(dir, { recursive: true });
  const log = path.join(dir, "cmake.log");
  await writeFile(log, "[ 10%] Building C object ggml.c.o\n");
  assert.equal(llamaCppBuildState().state, "building");
  const lines: string[] = [];
  const finish = setTimeout(async () => {
    await fakeTools(path.join(dir, "build", "bin"));
    await appendFile(log, "[100%] Built target llama-server\nexit 0\n");
  }, 300);
  try {
    const binDir = await buildLlamaCppTools({ onLine: (l) => lines.push(l), pollMs: 50 });
    assert.equal(binDir, path.join(dir, "build", "bin"));
    assert.match(lines.join("\n"), /already running .* waiting for it/);
  } finally {
    clearTimeout(finish);
  }
  assert.equal(llamaCppBuildState().state, "built");

  const reused = await cli(["engine", "build"]);
  assert.equal(reused.code, 0, reused.stderr);
  assert.equal(
    reused.stdout,
    `llama.cpp tools: ${path.join(dir, "build", "bin")} (reused: already built; delete ${dir} to build again)\n`,
  );

  const listed = await cli(["engine", "list", "--json"]);
  assert.equal(listed.code, 0, listed.stderr);
  const rows = JSON.parse(listed.stdout) as EngineListing[];
  assert.deepEqual(
    rows.map((r) => r.name),
    ["node-llama-cpp", ...LLAMA_CPP_TOOLS, "openai"],
  );
  const server = rows.find((r) => r.name === "llama-server");
  assert.equal(server?.status, "ready");
  assert.equal(server?.location, path.join(dir, "build", "bin", "llama-server"));
  assert.equal(server?.version, "1 (80fb11a), GNU 12.2.0 for Linux x86_64");
  assert.equal(
    rows.find((r) => r.name === "llama-bench")?.version,
    "build 1, commit 80fb11a, GNU 12.2.0 for Linux x86_64 (from its build's build-info.cpp: llama-bench has no --version)",
  );
  assert.match(rows[0]?.build ?? "", /prebuilt|local build/);
  // The openai engine is not a binary: the row says how to use it, with options that exist.
  assert.equal(rows.at(-1)?.status, "run --engine openai --endpoint URL");
});

test("engine build refuses a bad --jobs with a usage error", async () => {
  const run = await cli(["engine", "build", "--jobs", "0"]);
  assert.equal(run.code, 2);
  assert.equal(run.stderr, "gguf-bench: --jobs must be an integer from 1 to 1024, got '0'\n");
});
