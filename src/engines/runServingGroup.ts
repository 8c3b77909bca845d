import type { ProcessOutcome, StageError } from "../results/types.ts";
import { GroupCollector } from "../runner/groupCollector.ts";
import type { GroupRun } from "../runner/runGroup.ts";
import { StageCpuMeter } from "../runner/stageCpuMeter.ts";
import type { ChildMessage, GroupJob } from "../worker/protocol.ts";
import { type CaseDeadline, caseDeadline } from "./caseDeadline.ts";
import { highByteTokens } from "./highByteTokens.ts";
import type { ServerExit } from "./llamaServerProcess.ts";
import type { ServingSession } from "./servingStages.ts";

/** What every serving engine's case is given (runEngineGroup fills it from the run's config). */
export interface ServingGroupOptions {
  /** One case (job.cases[0]). */
  job: GroupJob;
  /** A model gguf-bench synthesised (random weights): its high byte tokens are kept out of sampling. */
  synthetic: boolean;
  /** The concurrency levels (streams) to measure, and requests per level. */
  concurrency: number[];
  requestsPerLevel: number;
  /** The case's --timeout, ms. */
  timeoutMs: number;
  /** Ctrl-C (or another stop signal). */
  signal?: AbortSignal;
  onMessage?: (message: ChildMessage) => void;
}

/** One serving case under way: what the routine hands an engine's stages. */
export interface ServingCase {
  /** Always 0: a serving group holds one case. */
  caseIndex: number;
  /** Into the collector, then to the caller's onMessage (progress display). */
  emit: (message: ChildMessage) => void;
  /** --timeout and Ctrl-C: every request and server start listens to its signal. */
  deadline: CaseDeadline;
  /** Tokens the engine's client keeps out of sampling: a synthesised model's high byte tokens (highByteTokens). */
  avoidTokens: number[];
  /** A session for the serving stages on the engine's client (job, emit and the deadline's signal filled in). */
  session: (engine: Pick<ServingSession, "client" | "measure" | "healthy" | "uniquePrefix">) => ServingSession;
}

/** An engine process that ended on its own (a crash, a kill from outside): how, as the runner records it. */
export interface ServingCrash {
  outcome: ProcessOutcome;
  exit: ServerExit;
  error: StageError;
}

/** What differs between serving engines: the rest is runServingGroup. */
export interface ServingEngine {
  /** The processes of ours whose CPU time the stages count (called at each stage's start and end). */
  cpuPids: () => readonly number[];
  /** Why no CPU share can be measured at all (someone else's server), or null. */
  cpuUnmeasurable: string | null;
  /** What the timeout message adds about the engine ("llama-server was killed"; "" when nothing of ours ran). */
  killedNote: string;
  /** The case's stages as this engine runs them (emitting results); never throws for what the engine does. */
  stages: (run: ServingCase) => Promise<void>;
  /** Stops whatever of the engine still runs, once the stages are over however they ended. */
  cleanup: () => Promise<void>;
  /** Once all is over: the engine's main process (null: none of ours), a crash of it, memory samples taken. */
  ended: () => { pid: number | null; crash: ServingCrash | null; memorySamples: number };
}

/**
 * One case on a serving engine, measured and classified as the worker's are: the collector and the per-stage CPU
 * meter, the case's deadline (--timeout, Ctrl-C), the synthesised model's avoided tokens, the engine's stages, then
 * `done`, the cleanup and the process record (a timeout or Ctrl-C before a crash, a crash before "ok"). Used by
 * runLlamaServerGroup and runOpenaiGroup, which supply the engine.
 */
export async function runServingGroup(options: ServingGroupOptions, engine: ServingEngine): Promise<GroupRun> {
  const { job } = options;
  const cpu = new StageCpuMeter(engine.cpuPids, engine.cpuUnmeasurable);
  const collected = new GroupCollector(job.cases.length, cpu);
  const started = performance.now();
  const emit = (message: ChildMessage) => {
    collected.accept(message);
    options.onMessage?.(message);
  };
  const deadline = caseDeadline(options.timeoutMs, options.signal);
  const run: ServingCase = {
    caseIndex: 0,
    emit,
    deadline,
    avoidTokens: options.synthetic ? await highByteTokens(job.file) : [],
    session: (parts) => ({ ...parts, job, emit, signal: deadline.signal }),
  };
  try {
    await engine.stages(run);
    if (!deadline.signal.aborted) emit({ type: "done" });
  } finally {
    cpu.end();
    deadline.dispose();
    await engine.cleanup();
  }

  const { pid, crash, memorySamples } = engine.ended();
  const outcome: ProcessOutcome = deadline.ended() ?? crash?.outcome ?? "ok";
  return {
    collected,
    process: {
      pid,
      outcome,
      exitCode: crash?.exit.exitCode ?? null,
      signal: crash?.exit.signal ?? null,
      wallMs: performance.now() - started,
    },
    processError: deadline.error(collected.lastStage, engine.killedNote, collected.lastPlace) ?? crash?.error ?? null,
    memorySamples,
    peakResetRefused: false,
  };
}
