import type { Stage, StageError } from "../results/types.ts";
import { setLongTimeout } from "../runner/longTimeout.ts";

/** Why a serving case was cut short by gguf-bench itself: its --timeout, or Ctrl-C (or another stop signal). */
export type CaseEnd = "timeout" | "interrupted";

export interface CaseDeadline {
  /** Aborted at the deadline or on the caller's signal (Ctrl-C); every request and server start listens to it. */
  signal: AbortSignal;
  ended: () => CaseEnd | null;
  /**
   * The process error to record for how the case was cut short, or null. `place` names where in the stage
   * (e.g. "inference: concurrency 2"; default: the stage).
   */
  error: (stage: Stage, what: string, place?: string) => StageError | null;
  dispose: () => void;
}

/** The limits of one serving case, as the runner enforces them on a worker: --timeout and Ctrl-C. */
export function caseDeadline(timeoutMs: number, outer?: AbortSignal): CaseDeadline {
  const controller = new AbortController();
  let ended: CaseEnd | null = null;
  const stop = (why: CaseEnd) => {
    ended ??= why;
    controller.abort();
  };
  // --timeout × cases can pass Node's 2^31 ms timer range, which would fire at once.
  const timer = setLongTimeout(() => stop("timeout"), timeoutMs);
  const onAbort = () => stop("interrupted");
  if (outer?.aborted) onAbort();
  else outer?.addEventListener("abort", onAbort, { once: true });
  return {
    signal: controller.signal,
    ended: () => ended,
    error: (stage, what, place = stage) => {
      if (ended === "timeout")
        return {
          stage,
          code: "timeout",
          message: `exceeded --timeout ${timeoutMs / 1000} s during ${place}${what ? `; ${what}` : ""}`,
        };
      if (ended === "interrupted")
        return { stage, code: "interrupted", message: `interrupted (Ctrl-C or a stop signal) during ${place}` };
      return null;
    },
    dispose: () => {
      timer.clear();
      outer?.removeEventListener("abort", onAbort);
    },
  };
}
