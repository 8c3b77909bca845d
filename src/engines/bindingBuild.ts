import { spawn } from "node:child_process";
import { createWriteStream, readdirSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { GgufBenchError } from "../errors.ts";
import { ggufBenchCacheRoot, nodeLlamaCppDir } from "./enginePaths.ts";

/**
 * The local builds of node-llama-cpp's binding found in its package (`llama/localBuilds/<name>`). When one
 * exists, node-llama-cpp loads it instead of its prebuilt binary (`getLlama({ build: "never" })` prefers a
 * local build), and the worker reports `localBuild` as the build that ran.
 */
export function nodeLlamaCppLocalBuilds(): string[] {
  try {
    return readdirSync(path.join(nodeLlamaCppDir(), "llama", "localBuilds"), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
  } catch {
    return [];
  }
}

/**
 * Builds node-llama-cpp's binding from the llama.cpp source it ships (offline: `node-llama-cpp source download`
 * clones its own git bundle), CPU only, with the machine's compiler and native flags. The build goes where
 * node-llama-cpp keeps local builds, inside its installed package, so every later run uses it. Output goes to
 * `<cache>/engines/node-llama-cpp-binding.log`. Errors: GgufBenchError "binding-build-failed".
 * The issue measured this build 1.3–4× faster in generation than the prebuilt binary on 2 cores.
 */
export async function buildNodeLlamaCppBinding(options: {
  onLine: (line: string) => void;
  signal?: AbortSignal;
}): Promise<string[]> {
  const packageDir = nodeLlamaCppDir();
  const logDir = path.join(ggufBenchCacheRoot(), "engines");
  await mkdir(logDir, { recursive: true });
  const log = path.join(logDir, "node-llama-cpp-binding.log");
  const out = createWriteStream(log, { flags: "w" });
  const cli = path.join(packageDir, "dist", "cli", "cli.js");
  const args = [cli, "source", "download", "--gpu", "false", "--noUsageExample"];
  options.onLine(`building node-llama-cpp's binding in ${packageDir} (several minutes; log: ${log})`);
  const code = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd: packageDir,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, CI: "true", NO_COLOR: "1" },
      signal: options.signal,
    });
    child.stdout.on("data", (chunk: Buffer) => out.write(chunk));
    child.stderr.on("data", (chunk: Buffer) => out.write(chunk));
    child.on("error", (error) => {
      out.write(`${error.message}\n`);
      resolve(1);
    });
    child.on("close", (exitCode) => resolve(exitCode ?? 1));
  });
  await new Promise<void>((resolve) => out.end(`exit ${code}\n`, resolve));
  if (code !== 0)
    throw new GgufBenchError("binding-build-failed", `node-llama-cpp's source build failed (exit ${code}); see ${log}`);
  return nodeLlamaCppLocalBuilds();
}
