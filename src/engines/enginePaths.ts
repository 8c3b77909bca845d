import { accessSync, closeSync, constants, openSync, readSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The llama.cpp programs gguf-bench builds from node-llama-cpp's bundled source (`gguf-bench engine build`). */
export type LlamaCppTool = "llama-server" | "llama-bench" | "llama-perplexity" | "llama-quantize";

export const LLAMA_CPP_TOOLS: readonly LlamaCppTool[] = [
  "llama-server",
  "llama-bench",
  "llama-perplexity",
  "llama-quantize",
];

/** `$XDG_CACHE_HOME/gguf-bench` (XDG default ~/.cache), or the temp dir when there is no home. */
export function ggufBenchCacheRoot(): string {
  const home = os.homedir();
  const cacheRoot = process.env.XDG_CACHE_HOME || (home ? path.join(home, ".cache") : os.tmpdir());
  return path.join(cacheRoot, "gguf-bench");
}

/** node-llama-cpp's package folder (it ships llama.cpp's source as `llama/gitRelease.bundle`). */
export function nodeLlamaCppDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  let dir = here;
  for (;;) {
    const candidate = path.join(dir, "node_modules", "node-llama-cpp");
    try {
      accessSync(path.join(candidate, "package.json"), constants.R_OK);
      return candidate;
    } catch {
      const parent = path.dirname(dir);
      if (parent === dir) throw new Error("node-llama-cpp is not installed beside gguf-bench");
      dir = parent;
    }
  }
}

/**
 * The commit of the llama.cpp source node-llama-cpp ships (the bundle's HEAD), read from the bundle's header
 * (`<40 hex> HEAD` on its second line). Null when the bundle is missing or unreadable.
 */
export function bundledLlamaCppCommit(): string | null {
  try {
    const bundle = path.join(nodeLlamaCppDir(), "llama", "gitRelease.bundle");
    const head = Buffer.alloc(4096);
    const fd = openSync(bundle, "r");
    let read: number;
    try {
      read = readSync(fd, head, 0, head.length, 0);
    } finally {
      closeSync(fd);
    }
    const match = /^([0-9a-f]{40}) /m.exec(head.toString("latin1", 0, read));
    return match?.[1] ?? null;
  } catch {
    return null;
  }
}

/**
 * Where `gguf-bench engine build` keeps the build of one llama.cpp commit:
 * `<cache root>/engines/llama.cpp-<first 12 hex of the commit>/` holding `src/` (a clone of the bundle) and
 * `build/bin/` (the binaries and their shared libraries).
 */
export function engineBuildDir(commit: string): string {
  return path.join(ggufBenchCacheRoot(), "engines", `llama.cpp-${commit.slice(0, 12)}`);
}

/**
 * Path of a built llama.cpp tool for the bundled source, or null when it has not been built
 * (`gguf-bench engine build` builds it).
 */
export function findBuiltTool(tool: LlamaCppTool): string | null {
  const commit = bundledLlamaCppCommit();
  if (commit === null) return null;
  const binary = path.join(engineBuildDir(commit), "build", "bin", tool);
  try {
    accessSync(binary, constants.X_OK);
    return binary;
  } catch {
    return null;
  }
}
