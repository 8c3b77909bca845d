import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { nodeLlamaCppLocalBuilds } from "./bindingBuild.ts";
import { bundledLlamaCppCommit, findBuiltTool, LLAMA_CPP_TOOLS, nodeLlamaCppDir } from "./enginePaths.ts";
import { llamaCppBuildState } from "./llamaCppBuild.ts";

/** One engine or tool as `gguf-bench engine list` shows it. */
export interface EngineListing {
  name: string;
  /** "ready", "not built", "building", "build failed", or how to use it (openai: `run --engine openai --endpoint URL`). */
  status: string;
  /** The binary, or the package folder; null when there is none. */
  location: string | null;
  version: string | null;
  /** How it was built: prebuilt / local build for the binding; cmake flags for the tools. */
  build: string;
}

/** The cmake cache entries that say how a llama.cpp build was configured. */
const BUILD_FLAGS = ["CMAKE_BUILD_TYPE", "GGML_NATIVE", "GGML_OPENMP", "GGML_BLAS", "GGML_CUDA", "GGML_VULKAN"];

/** Every engine gguf-bench can run, found on this machine or not. Reads files and `--version` only. */
export function listEngines(): EngineListing[] {
  const rows: EngineListing[] = [bindingListing()];
  const state = llamaCppBuildState();
  const flags = state.state === "built" ? cmakeFlags(path.join(state.dir, "build", "CMakeCache.txt")) : "";
  for (const tool of LLAMA_CPP_TOOLS) {
    const binary = findBuiltTool(tool);
    const status =
      binary !== null
        ? "ready"
        : state.state === "building"
          ? "building"
          : state.state === "failed"
            ? "build failed"
            : "not built (gguf-bench engine build)";
    // llama-bench and llama-quantize reject --version: the build they share with llama-server says what they are.
    const version = binary ? (toolVersion(binary) ?? buildInfoVersion(binary)) : null;
    rows.push({ name: tool, status, location: binary, version, build: flags });
  }
  rows.push({
    name: "openai",
    status: "run --engine openai --endpoint URL",
    location: null,
    version: null,
    build: "any OpenAI-compatible server (/v1/completions, streamed)",
  });
  return rows;
}

function bindingListing(): EngineListing {
  const dir = nodeLlamaCppDir();
  const manifest = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { version?: string };
  const local = nodeLlamaCppLocalBuilds();
  const commit = bundledLlamaCppCommit();
  return {
    name: "node-llama-cpp",
    status: "ready",
    location: dir,
    version: `${manifest.version ?? "unknown"} (llama.cpp ${commit ? commit.slice(0, 7) : "unknown"})`,
    build:
      local.length > 0
        ? `local build (${local.join(", ")}), used instead of the prebuilt binary`
        : "prebuilt binary (gguf-bench engine build --binding builds it here)",
  };
}

/** `llama-server --version` prints e.g. "version: 1 (80fb11a)" and the compiler; null when it does not run. */
export function toolVersion(binary: string): string | null {
  const result = spawnSync(binary, ["--version"], { encoding: "utf8", timeout: 10_000 });
  const text = `${result.stdout ?? ""}\n${result.stderr ?? ""}`;
  const version = /version:\s*([^\n]+)/.exec(text)?.[1]?.trim();
  const compiler = /built with (.+)/.exec(text)?.[1]?.trim();
  if (!version) return null;
  return compiler ? `${version}, ${compiler}` : version;
}

/**
 * What a tool without `--version` (llama-bench: it prints `build: 80fb11a (1)` only after a benchmark) was built
 * from: the build-info.cpp that cmake generated for the tools of its build (build/common/, beside build/bin/),
 * e.g. "build 1, commit 80fb11a, GNU 12.2.0 for Linux x86_64 (from its build's build-info.cpp: llama-bench has no
 * --version)"; null when
 * that file is missing or unreadable.
 */
function buildInfoVersion(binary: string): string | null {
  let text: string;
  try {
    text = readFileSync(path.join(path.dirname(path.dirname(binary)), "common", "build-info.cpp"), "utf8");
  } catch {
    return null;
  }
  const value = (name: string) => new RegExp(`${name}\\s*=\\s*"?([^";\n]{1,100})"?;`).exec(text)?.[1];
  const [build, commit] = [value("LLAMA_BUILD_NUMBER"), value("LLAMA_COMMIT")];
  if (build === undefined || commit === undefined) return null;
  const [compiler, target] = [value("LLAMA_COMPILER"), value("LLAMA_BUILD_TARGET")];
  const builtWith = compiler && target ? `, ${compiler} for ${target}` : "";
  return `build ${build}, commit ${commit}${builtWith} (from its build's build-info.cpp: ${path.basename(binary)} has no --version)`;
}

function cmakeFlags(cacheFile: string): string {
  let text: string;
  try {
    text = readFileSync(cacheFile, "utf8");
  } catch {
    return "";
  }
  const found: string[] = [];
  for (const flag of BUILD_FLAGS) {
    const match = new RegExp(`^${flag}:[A-Z]+=(.*)$`, "m").exec(text);
    if (match) found.push(`${flag}=${match[1]}`);
  }
  return found.join(" ");
}
