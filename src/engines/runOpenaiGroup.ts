import type { GroupRun } from "../runner/runGroup.ts";
import { type OpenaiEndpoint, openaiClient } from "./openaiClient.ts";
import { runServingGroup, type ServingGroupOptions } from "./runServingGroup.ts";
import { contextNotMeasured, servingConcurrency, servingContext, servingInference } from "./servingStages.ts";

/** Even on this machine, the endpoint's server would count as "another process": so the share is not measured. */
const OPENAI_CPU_REASON =
  "an openai endpoint's server is not a process gguf-bench started: its own CPU use cannot be told apart from other processes'";

export interface OpenaiGroupOptions extends ServingGroupOptions {
  endpoint: OpenaiEndpoint;
}

/**
 * One case against someone else's OpenAI-compatible server: the inference stage, the concurrency stage and the
 * context sizes (a prompt filled to each size when the server can tokenise; its own context applies), with the
 * metrics defined as for every engine. No process of ours: load, memory and cleanup are not measured (null, the
 * reason in the config notes). An unreachable endpoint, a 401, an unknown model or a broken stream is a recorded
 * error, and the run goes on. The job's settings are recorded as asked; the endpoint's own apply.
 */
export function runOpenaiGroup(options: OpenaiGroupOptions): Promise<GroupRun> {
  const { job } = options;
  return runServingGroup(options, {
    cpuPids: () => [],
    cpuUnmeasurable: OPENAI_CPU_REASON,
    killedNote: "",
    async stages({ caseIndex, emit, deadline, avoidTokens, session: sessionOn }) {
      const session = sessionOn({
        client: openaiClient({ ...options.endpoint, avoidTokens }),
        measure: null,
        healthy: () => true,
        uniquePrefix: true,
      });
      const ran = await servingInference(session, caseIndex);
      if (ran && options.concurrency.length > 0)
        await servingConcurrency(session, caseIndex, options.concurrency, options.requestsPerLevel);
      for (const contextSize of ran ? job.contexts : []) {
        if (deadline.signal.aborted) break;
        emit({ type: "stage", stage: "contexts", caseIndex, detail: `${contextSize} tokens` });
        const context = contextNotMeasured(job, contextSize) ?? (await servingContext(session, contextSize, null));
        if (!deadline.signal.aborted) emit({ type: "context", caseIndex, context });
      }
    },
    cleanup: async () => {},
    ended: () => ({ pid: null, crash: null, memorySamples: 0 }),
  });
}
