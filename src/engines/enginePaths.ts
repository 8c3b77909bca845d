import { accessSync, closeSync, constants, openSync, readSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { fsErrorText } from "../files/fsErrorText.ts";

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

/** The llama.cpp commit a git bundle holds, or why it is not known. */
export type BundleCommit = { commit: string; reason: null } | { commit: null; reason: string };

/**
 * The commit of a git bundle's HEAD, read from its header (`# v2 git bundle`, then `<40 hex> HEAD`: what
 * `git bundle list-heads` prints), without running git. Null with the reason when the file is missing, unreadable
 * or no bundle.
 */
export function readBundleCommit(bundle: string): BundleCommit {
  try {
    const head = Buffer.alloc(4096);
    const fd = openSync(bundle, "r");
    let read: number;
    try {
      read = readSync(fd, head, 0, head.length, 0);
    } finally {
      closeSync(fd);
    }
    const text = head.toString("latin1", 0, read);
    const match = /^([0-9a-f]{40}) HEAD$/m.exec(text) ?? /^([0-9a-f]{40}) /m.exec(text);
    if (text.startsWith("# v") && match?.[1]) return { commit: match[1], reason: null };
    return { commit: null, reason: `${bundle} is not a git bundle with a head commit` };
  } catch (error) {
    return { commit: null, reason: `${bundle} cannot be read: ${fsErrorText(error)}` };
  }
}

const bundleCommits = new Map<string, BundleCommit>();

/**
 * The llama.cpp commit node-llama-cpp ships as its source (`llama/gitRelease.bundle`, the HEAD its binaries and a
 * local build are built from), read once per process (readBundleCommit), or why it is not known.
 */
export function bundledLlamaCppSource(): BundleCommit {
  let bundle: string;
  try {
    bundle = path.join(nodeLlamaCppDir(), "llama", "gitRelease.bundle");
  } catch (error) {
    return { commit: null, reason: error instanceof Error ? error.message : String(error) };
  }
  const known = bundleCommits.get(bundle);
  if (known) return known;
  const read = readBundleCommit(bundle);
  bundleCommits.set(bundle, read);
  return read;
}

/** The commit of the llama.cpp source node-llama-cpp ships (bundledLlamaCppSource); null when not known. */
export function bundledLlamaCppCommit(): string | null {
  return bundledLlamaCppSource().commit;
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
