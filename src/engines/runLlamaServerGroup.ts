import type { LoadResult, Stage } from "../results/types.ts";
import type { GroupRun } from "../runner/runGroup.ts";
import { deathFirst } from "./deathFirst.ts";
import { llamaServerClient } from "./llamaServerClient.ts";
import { type RunningServer, startLlamaServer } from "./llamaServerProcess.ts";
import { runServingGroup, type ServingCase, type ServingCrash, type ServingGroupOptions } from "./runServingGroup.ts";
import {
  contextNotMeasured,
  type ServingSession,
  servingConcurrency,
  servingContext,
  servingFirstDecode,
  servingInference,
} from "./servingStages.ts";
import { unexpectedExit } from "./unexpectedExit.ts";

export interface ServerGroupOptions extends ServingGroupOptions {
  /** The llama-server binary. */
  binary: string;
  /** How long a request may wait for its next streamed byte, ms. */
  requestTimeoutMs: number;
}

/**
 * One case on llama-server, as the worker runs one in-process: a server started with the case's settings (every
 * setting of llama-server is a start flag) and the inference context (load = spawn until ready; memory from
 * /proc/<server pid>), the first decode, the inference stage, the concurrency stage (on a server with one slot per
 * stream when a level exceeds 1), then one server per context size. Stops every server it started. A server that
 * dies, a timeout or Ctrl-C becomes the process outcome and error, as for the worker; never throws for what a
 * server does.
 */
export function runLlamaServerGroup(options: ServerGroupOptions): Promise<GroupRun> {
  // The running server (one per context size: a stopped one's time is this process's cutime, see readCpu).
  let current: RunningServer | null = null;
  let mainPid: number | null = null;
  let samples = 0;
  let crash: ServingCrash | null = null;
  return runServingGroup(options, {
    cpuPids: () => (current ? [current.pid] : []),
    cpuUnmeasurable: null,
    killedNote: "llama-server was killed",
    stages: serverStages,
    async cleanup() {
      const left = current;
      if (left) {
        left.kill();
        await left.exited;
        samples += left.sampler.sampleCount;
      }
    },
    ended: () => ({ pid: mainPid, crash, memorySamples: samples }),
  });

  /** The load on a first server (spawn until ready, first decode), then measureCase; emits every result. */
  async function serverStages({ caseIndex, emit, deadline, avoidTokens, session: sessionOn }: ServingCase) {
    const { job } = options;
    const settings = job.cases[caseIndex];
    const start = async (contextSize: number, slots: number, stage: Stage) => {
      if (!settings || deadline.signal.aborted) return null;
      const result = await startLlamaServer(
        options.binary,
        { file: job.file, settings, contextSize, slots },
        deadline.signal,
      );
      if (!result.ok) {
        if (result.code !== "aborted") {
          const code = stage === "load" ? "load-failed" : "server-load-failed";
          emit({
            type: "stage-error",
            caseIndex: stage === "load" ? null : caseIndex,
            error: { stage, code, message: result.message },
          });
        }
        return null;
      }
      current = result.server;
      return result.server;
    };
    const stop = async (server: RunningServer, stage: Stage) => {
      const exit = await server.stop();
      samples += server.sampler.sampleCount;
      current = null;
      if (!server.endedByUs(exit) && crash === null && deadline.ended() === null)
        crash = { ...unexpectedExit(exit, stage, server.reason()), exit };
    };
    const session = (server: RunningServer, stage: Stage): ServingSession =>
      sessionOn({
        client: deathFirst(llamaServerClient(server.baseUrl, options.requestTimeoutMs, avoidTokens), server, stage),
        measure: (reset) => server.sampler.measure(reset),
        healthy: () => server.alive(),
        uniquePrefix: false,
      });

    /** Inference, concurrency, contexts: the rest of the case once the first server is loaded. */
    const measureCase = async (main: RunningServer) => {
      await servingInference(session(main, "inference"), caseIndex);
      const highest = Math.max(0, ...options.concurrency);
      if (highest === 1 && main.alive())
        await servingConcurrency(session(main, "inference"), caseIndex, options.concurrency, options.requestsPerLevel);
      await stop(main, "inference");
      if (highest > 1 && crash === null && !deadline.signal.aborted) {
        emit({
          type: "stage",
          stage: "inference",
          caseIndex,
          detail: `concurrency: llama-server with ${highest} slots`,
        });
        const wide = await start(job.inferenceContextSize, highest, "inference");
        if (wide) {
          await servingConcurrency(
            session(wide, "inference"),
            caseIndex,
            options.concurrency,
            options.requestsPerLevel,
          );
          await stop(wide, "inference");
        } else if (!deadline.signal.aborted)
          for (const level of options.concurrency)
            emit({
              type: "concurrency",
              caseIndex,
              level: {
                concurrency: level,
                status: "error",
                code: "server-load-failed",
                message: `llama-server did not start with ${highest} slots (see the inference error)`,
              },
            });
      }
      for (const contextSize of job.contexts) {
        if (deadline.signal.aborted || crash !== null) return;
        emit({ type: "stage", stage: "contexts", caseIndex, detail: `${contextSize} tokens` });
        const skipped = contextNotMeasured(job, contextSize);
        if (skipped) {
          emit({ type: "context", caseIndex, context: skipped });
          continue;
        }
        const server = await start(contextSize, 1, "contexts");
        if (!server) {
          if (!deadline.signal.aborted)
            emit({
              type: "context",
              caseIndex,
              context: {
                contextSize,
                status: "error",
                code: "server-load-failed",
                message: "llama-server did not start with this context (see the contexts error)",
              },
            });
          continue;
        }
        const context = await servingContext(session(server, "contexts"), contextSize, server.sampler.measure(false));
        if (!deadline.signal.aborted) emit({ type: "context", caseIndex, context });
        await stop(server, "contexts");
      }
    };

    emit({
      type: "stage",
      stage: "load",
      caseIndex: null,
      detail: `llama-server, context ${job.inferenceContextSize}`,
    });
    const main = await start(job.inferenceContextSize, 1, "load");
    if (main) {
      mainPid = main.pid;
      const after = main.sampler.measure(false);
      const first = await servingFirstDecode(session(main, "load"));
      if (!first.ok) {
        emit({
          type: "stage-error",
          caseIndex: null,
          error: { stage: "load", code: "first-decode-failed", message: first.message },
        });
        await stop(main, "load");
      } else {
        const load: LoadResult = {
          durationMs: main.loadMs,
          mmap: job.mmap,
          cache: job.cache,
          before: main.before,
          after: after?.snapshot ?? main.before,
          peakRssBytes: after?.peakRssBytes ?? 0,
          firstDecodeMs: first.ms,
          deviceVramUsedBytes: null,
        };
        emit({ type: "load", load });
        await measureCase(main);
      }
    }
  }
}
