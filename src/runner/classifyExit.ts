import type { ProcessOutcome, Stage, StageError } from "../results/types.ts";

export interface ChildEnd {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** The parent killed it because --timeout passed. */
  timedOut: boolean;
  /** The parent killed it because the user pressed Ctrl-C. */
  interrupted: boolean;
  /** The child sent `done` before it ended. */
  sawDone: boolean;
  /** Where the child was when it ended (last `stage` message), for the error's stage. */
  lastStage: Stage;
  /** The same with its detail for messages, e.g. "inference: concurrency 2"; default: the stage. */
  lastPlace?: string;
  timeoutMs: number;
  /** Failure to start the process at all (fork error). */
  spawnError?: string;
}

export interface Classified {
  outcome: ProcessOutcome;
  /** Null when the process ended as it should. */
  error: StageError | null;
}

/**
 * How the child ended, from the parent's view. The order matters: our own kills (timeout, Ctrl-C) explain the
 * signal they caused; a SIGKILL we did not send is most often the kernel's OOM killer, but without reading
 * the kernel log we only say it might be.
 */
export function classifyExit(end: ChildEnd): Classified {
  const stage = end.lastStage;
  const place = end.lastPlace ?? stage;
  if (end.spawnError !== undefined) {
    return { outcome: "error", error: { stage: "process", code: "spawn-failed", message: end.spawnError } };
  }
  // Ctrl-C, a closed terminal or a stop of the whole process group signal the child too: it may die of that
  // signal before the parent's own handler has killed it.
  if (end.interrupted || end.signal === "SIGINT" || end.signal === "SIGTERM" || end.signal === "SIGHUP") {
    return {
      outcome: "interrupted",
      error: { stage, code: "interrupted", message: `interrupted (Ctrl-C or a stop signal) during ${place}` },
    };
  }
  if (end.timedOut) {
    const seconds = Math.round(end.timeoutMs / 100) / 10;
    return {
      outcome: "timeout",
      error: {
        stage,
        code: "timeout",
        message: `exceeded --timeout ${seconds} s during ${place}; the process was killed`,
      },
    };
  }
  if (end.signal === "SIGKILL") {
    return {
      outcome: "killed",
      error: { stage, code: "killed", message: `killed by SIGKILL (out of memory?) during ${place}` },
    };
  }
  if (end.signal !== null) {
    return { outcome: "crash", error: { stage, code: "crash", message: `crashed with ${end.signal} during ${place}` } };
  }
  if (end.exitCode === 0 && end.sawDone) return { outcome: "ok", error: null };
  const how = end.exitCode === 0 ? "exited before finishing" : `exited with code ${end.exitCode}`;
  return { outcome: "error", error: { stage, code: "worker-exit", message: `worker ${how} during ${place}` } };
}
