import { GgufBenchError } from "../errors.ts";
import type { EngineName, RunConfig } from "../results/types.ts";
import { type GroupRun, runGroup } from "../runner/runGroup.ts";
import type { WorkerEntry } from "../runner/workerEntry.ts";
import type { ChildMessage, GroupJob } from "../worker/protocol.ts";
import { runLlamaServerGroup } from "./runLlamaServerGroup.ts";
import { runOpenaiGroup } from "./runOpenaiGroup.ts";
import type { ServingGroupOptions } from "./runServingGroup.ts";
import { servedModelNote } from "./servedModelNote.ts";

export interface EngineGroupOptions {
  job: GroupJob;
  /** A model gguf-bench synthesised: serving engines keep its high byte tokens out of sampling. */
  synthetic: boolean;
  config: RunConfig;
  /** The llama-server binary (resolveEngines), when the run uses that engine. */
  llamaServer: string | null;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Tests substitute a stand-in worker for the in-process engine. */
  worker?: WorkerEntry;
  onMessage?: (message: ChildMessage) => void;
}

/**
 * The seam between the runner and the engines: one load group on one engine, measured and classified the same
 * way whichever engine ran it (a GroupRun the runner turns into results). node-llama-cpp runs in a forked worker;
 * llama-server is a process gguf-bench starts and measures from /proc; openai is someone else's server (the model
 * it serves, checked against the name sent, goes into config.notes: servedModelNote).
 */
export async function runEngineGroup(engine: EngineName, options: EngineGroupOptions): Promise<GroupRun> {
  const { job, config, timeoutMs, signal, onMessage } = options;
  const { serving } = config;
  const served = (): ServingGroupOptions => ({
    job,
    synthetic: options.synthetic,
    concurrency: serving.concurrency,
    requestsPerLevel: serving.requestsPerLevel,
    timeoutMs,
    signal,
    onMessage,
  });
  switch (engine) {
    case "node-llama-cpp":
      return runGroup({ job, timeoutMs, signal, worker: options.worker, onMessage });
    case "llama-server":
      if (options.llamaServer === null) throw new GgufBenchError("engine-missing", "llama-server was not resolved");
      return runLlamaServerGroup({
        ...served(),
        binary: options.llamaServer,
        requestTimeoutMs: serving.requestTimeoutMs,
      });
    case "openai": {
      if (serving.endpoint === null) throw new GgufBenchError("usage", "--engine openai needs --endpoint");
      const apiKey = serving.apiKeyEnv === null ? null : (process.env[serving.apiKeyEnv] ?? null);
      const endpoint = {
        baseUrl: serving.endpoint,
        model: serving.servedModel,
        apiKey,
        idleTimeoutMs: serving.requestTimeoutMs,
      };
      // Which model answered is part of what was measured: the name sent, checked against /v1/models.
      const note = await servedModelNote(endpoint, signal);
      if (!config.notes.includes(note)) config.notes.push(note);
      return runOpenaiGroup({ ...served(), endpoint });
    }
    default: {
      const unknown: never = engine;
      throw new GgufBenchError("usage", `unknown engine ${String(unknown)}`);
    }
  }
}
