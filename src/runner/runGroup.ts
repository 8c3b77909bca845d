import { fork } from "node:child_process";
import { failureHint } from "../diagnosis/failureHint.ts";
import { llamaReason } from "../diagnosis/llamaReason.ts";
import type { ModelResult, StageError } from "../results/types.ts";
import type { ChildMessage, GroupJob, ParentMessage, ReferenceJob } from "../worker/protocol.ts";
import { classifyExit } from "./classifyExit.ts";
import { GroupCollector } from "./groupCollector.ts";
import { setLongTimeout } from "./longTimeout.ts";
import { MemorySampler } from "./memorySampler.ts";
import { StageCpuMeter } from "./stageCpuMeter.ts";
import { defaultWorkerEntry, type WorkerEntry } from "./workerEntry.ts";

/** Keep this much of the child's stderr: a native abort prints its reason there (e.g. a GGML_ASSERT line). */
const STDERR_TAIL_CHARS = 8192;

export interface GroupRunOptions {
  /** A load group to benchmark, or the reference pass of the quality stage (same child, same supervision). */
  job: GroupJob | ReferenceJob;
  timeoutMs: number;
  /** Aborted on Ctrl-C: the child is killed and the group marked interrupted. */
  signal?: AbortSignal;
  /** Tests substitute a stand-in worker. */
  worker?: WorkerEntry;
  /** Every message of the child, after the runner has handled it (progress display). */
  onMessage?: (message: ChildMessage) => void;
}

export interface GroupRun {
  collected: GroupCollector;
  process: ModelResult["process"];
  /** Why the process did not end as it should; null when it did. */
  processError: StageError | null;
  /** Number of memory samples the parent took, and whether the kernel peak could be reset. */
  memorySamples: number;
  peakResetRefused: boolean;
}

/**
 * Runs one load group in its own child process: forks the worker, sends the job, answers its memory requests
 * from /proc/<pid>/status while sampling it, enforces the timeout, and classifies how it ended. Never throws
 * for anything the child does: a crash is a result.
 */
export function runGroup(options: GroupRunOptions): Promise<GroupRun> {
  const { job, timeoutMs, signal } = options;
  const worker = options.worker ?? defaultWorkerEntry();
  const start: ParentMessage = "kind" in job ? { type: "write-reference", job } : { type: "run-group", job };
  let childPid: number | undefined;
  // The reference pass measures nothing: no CPU meter for it.
  const cpu = "kind" in job ? null : new StageCpuMeter(() => (childPid === undefined ? [] : [childPid]));
  const collected = new GroupCollector("kind" in job ? 0 : job.cases.length, cpu);
  const started = performance.now();
  let stderrTail = "";
  let timedOut = false;
  let interrupted = false;
  let spawnError: string | undefined;

  return new Promise((resolve) => {
    const child = fork(worker.modulePath, [], {
      execArgv: worker.execArgv,
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    childPid = child.pid;
    const sampler = child.pid !== undefined ? new MemorySampler(child.pid) : null;
    let spawned = false;
    // A send can race the child's death; its failure is not news (the exit says what happened).
    const send = (message: ParentMessage) => child.send(message, (error) => void error);

    const kill = () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    };
    const timer = setLongTimeout(() => {
      timedOut = true;
      kill();
    }, timeoutMs);
    const onAbort = () => {
      interrupted = true;
      kill();
    };
    if (signal?.aborted) onAbort();
    else signal?.addEventListener("abort", onAbort, { once: true });

    child.stderr?.on("data", (chunk: Buffer) => {
      stderrTail = (stderrTail + chunk.toString("utf8")).slice(-STDERR_TAIL_CHARS);
    });
    // llama.cpp may log to stdout; it must not mix with ours, but it must be drained.
    child.stdout?.resume();

    child.on("message", (raw) => {
      const message = raw as ChildMessage;
      if (message.type === "measure") {
        const reading = sampler?.measure(message.resetPeak) ?? null;
        if (reading) {
          const answer = { type: "measured", requestId: message.requestId, ...reading } satisfies ParentMessage;
          send(answer);
        }
      } else {
        try {
          collected.accept(message);
        } catch (error) {
          collected.groupErrors.push({ stage: "process", code: "protocol-error", message: String(error) });
        }
      }
      options.onMessage?.(message);
    });

    child.on("error", (error) => {
      if (!spawned) spawnError = error.message;
    });

    child.on("spawn", () => {
      spawned = true;
      send(start);
    });

    child.on("close", (exitCode, exitSignal) => {
      timer.clear();
      signal?.removeEventListener("abort", onAbort);
      sampler?.stop();
      // A child that died mid-stage: the stage ends here (its CPU time is now this process's cutime).
      cpu?.end();
      const classified = classifyExit({
        exitCode,
        signal: exitSignal,
        timedOut,
        interrupted,
        sawDone: collected.done,
        lastStage: collected.lastStage,
        lastPlace: collected.lastPlace,
        timeoutMs,
        spawnError,
      });
      let processError = classified.error;
      if (processError && (classified.outcome === "crash" || classified.outcome === "error"))
        processError = withStderrReason(processError, stderrTail, job.file);
      resolve({
        collected,
        process: {
          pid: child.pid ?? null,
          outcome: classified.outcome,
          exitCode,
          signal: exitSignal,
          wallMs: performance.now() - started,
        },
        processError,
        memorySamples: sampler?.sampleCount ?? 0,
        peakResetRefused: sampler?.resetRefused ?? false,
      });
    });
  });
}

/**
 * A native abort prints its reason to stderr, not through llama.cpp's logger (e.g. "llama-model-loader.cpp:1321:
 * GGML_ASSERT(t_meta.ne[dim] >= 1) failed"): the telling lines go to `llamaLog`, the last of them into the
 * message, and a hint when the cause is known.
 */
function withStderrReason(error: StageError, stderr: string, file: string): StageError {
  const lines = stderr
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith("at "));
  const telling = lines.filter((line) => /error|assert|abort|fail|cannot|exception/i.test(line));
  const reason = llamaReason((telling.length > 0 ? telling : lines).slice(-4));
  const last = reason.at(-1);
  if (last === undefined) return error;
  const hint = failureHint(reason.join("\n"), file);
  return {
    ...error,
    message: `${error.message}: ${last}`,
    llamaLog: reason,
    ...(hint ? { hint } : {}),
  };
}
