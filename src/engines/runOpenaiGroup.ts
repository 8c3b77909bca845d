import type { ProcessOutcome } from "../results/types.ts";
import { GroupCollector } from "../runner/groupCollector.ts";
import type { GroupRun } from "../runner/runGroup.ts";
import { StageCpuMeter } from "../runner/stageCpuMeter.ts";
import type { ChildMessage, GroupJob } from "../worker/protocol.ts";
import { caseDeadline } from "./caseDeadline.ts";
import { highByteTokens } from "./highByteTokens.ts";
import { type OpenaiEndpoint, openaiClient } from "./openaiClient.ts";
import {
  contextNotMeasured,
  type ServingSession,
  servingConcurrency,
  servingContext,
  servingInference,
} from "./servingStages.ts";

/** Even on this machine, the endpoint's server would count as "another process": so the share is not measured. */
const OPENAI_CPU_REASON =
  "an openai endpoint's server is not a process gguf-bench started: its own CPU use cannot be told apart from other processes'";

export interface OpenaiGroupOptions {
  endpoint: OpenaiEndpoint;
  /** One case (its settings are recorded as asked; the endpoint's own apply). */
  job: GroupJob;
  /** A model gguf-bench synthesised (random weights): its high byte tokens are kept out of sampling. */
  synthetic: boolean;
  concurrency: number[];
  requestsPerLevel: number;
  timeoutMs: number;
  signal?: AbortSignal;
  onMessage?: (message: ChildMessage) => void;
}

/**
 * One case against someone else's OpenAI-compatible server: the inference stage, the concurrency stage and the
 * context sizes (a prompt filled to each size when the server can tokenise; its own context applies), with the
 * metrics defined as for every engine. No process of ours: load, memory and cleanup are not measured (null, the
 * reason in the config notes). An unreachable endpoint, a 401, an unknown model or a broken stream is a recorded
 * error, and the run goes on.
 */
export async function runOpenaiGroup(options: OpenaiGroupOptions): Promise<GroupRun> {
  const { job } = options;
  const caseIndex = 0;
  const cpu = new StageCpuMeter(() => [], OPENAI_CPU_REASON);
  const collected = new GroupCollector(job.cases.length, cpu);
  const started = performance.now();
  const emit = (message: ChildMessage) => {
    collected.accept(message);
    options.onMessage?.(message);
  };
  const deadline = caseDeadline(options.timeoutMs, options.signal);

  const avoidTokens = options.synthetic ? await highByteTokens(job.file) : [];
  const session: ServingSession = {
    client: openaiClient({ ...options.endpoint, avoidTokens }),
    measure: null,
    job,
    emit,
    signal: deadline.signal,
    healthy: () => true,
    uniquePrefix: true,
  };
  try {
    const ran = await servingInference(session, caseIndex);
    if (ran && options.concurrency.length > 0)
      await servingConcurrency(session, caseIndex, options.concurrency, options.requestsPerLevel);
    for (const contextSize of ran ? job.contexts : []) {
      if (deadline.signal.aborted) break;
      emit({ type: "stage", stage: "contexts", caseIndex, detail: `${contextSize} tokens` });
      const context = contextNotMeasured(job, contextSize) ?? (await servingContext(session, contextSize, null));
      if (!deadline.signal.aborted) emit({ type: "context", caseIndex, context });
    }
    if (!deadline.signal.aborted) emit({ type: "done" });
  } finally {
    cpu.end();
    deadline.dispose();
  }

  const outcome: ProcessOutcome = deadline.ended() ?? "ok";
  return {
    collected,
    process: { pid: null, outcome, exitCode: null, signal: null, wallMs: performance.now() - started },
    processError: deadline.error(collected.lastStage, "", collected.lastPlace),
    memorySamples: 0,
    peakResetRefused: false,
  };
}
