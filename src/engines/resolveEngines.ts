import { accessSync, constants } from "node:fs";
import { GgufBenchError } from "../errors.ts";
import type { EngineEnvironment, RunConfig } from "../results/types.ts";
import { findBuiltTool } from "./enginePaths.ts";
import { toolVersion } from "./listEngines.ts";

/**
 * The llama-server binary a run uses: --llama-server PATH, or the one `gguf-bench engine build` built.
 * Errors (GgufBenchError "engine-missing"): one line that names the build command.
 */
export function resolveLlamaServer(explicit: string | null): string {
  if (explicit !== null) {
    try {
      accessSync(explicit, constants.X_OK);
      return explicit;
    } catch {
      throw new GgufBenchError("engine-missing", `--llama-server ${explicit} is not an executable file`);
    }
  }
  const built = findBuiltTool("llama-server");
  if (built === null)
    throw new GgufBenchError(
      "engine-missing",
      "llama-server is not built: run `gguf-bench engine build` (or give --llama-server PATH)",
    );
  return built;
}

/**
 * The serving engines of a run, checked before any process starts (a missing binary fails here), with what the
 * environment records of each: binary and version (llama-server), endpoint (openai).
 */
export interface ResolvedEngines {
  /** The llama-server binary, when the run uses that engine. */
  llamaServer: string | null;
  engines: EngineEnvironment[];
}

export function resolveEngines(config: RunConfig): ResolvedEngines {
  const engines: EngineEnvironment[] = [];
  let llamaServer: string | null = null;
  if (config.sweep.engine.includes("llama-server")) {
    llamaServer = resolveLlamaServer(config.serving.llamaServerPath);
    engines.push({ engine: "llama-server", binary: llamaServer, version: toolVersion(llamaServer), endpoint: null });
  }
  if (config.sweep.engine.includes("openai"))
    engines.push({ engine: "openai", binary: null, version: null, endpoint: config.serving.endpoint });
  return { llamaServer, engines };
}
