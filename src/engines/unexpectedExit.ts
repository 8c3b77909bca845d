import type { ProcessOutcome, Stage, StageError } from "../results/types.ts";
import type { ServerExit } from "./llamaServerProcess.ts";

/** How a server that ended without being asked to is recorded: killed (SIGKILL, often out of memory), crash, error. */
export function unexpectedExit(
  exit: ServerExit,
  stage: Stage,
  reason: string | null,
): { outcome: ProcessOutcome; error: StageError } {
  const said = reason ? `: ${reason}` : "";
  if (exit.signal === "SIGKILL")
    return {
      outcome: "killed",
      error: {
        stage,
        code: "killed",
        message: `llama-server was killed by SIGKILL (out of memory?) during ${stage}${said}`,
      },
    };
  if (exit.signal !== null)
    return {
      outcome: "crash",
      error: { stage, code: "crash", message: `llama-server crashed with ${exit.signal} during ${stage}${said}` },
    };
  return {
    outcome: "error",
    error: {
      stage,
      code: "server-exit",
      message: `llama-server exited with code ${exit.exitCode} during ${stage}${said}`,
    },
  };
}
