import { constants } from "node:os";
import { writeErrLine } from "./output.ts";

/** What asks a run to stop: Ctrl-C (SIGINT), `kill`/systemd/docker stop (SIGTERM), a closed terminal (SIGHUP). */
export const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

export interface StopSignals {
  /** Aborted by the first stop signal. */
  signal: AbortSignal;
  /** Restores the default handling. */
  dispose(): void;
}

/**
 * Treats every stop signal as Ctrl-C is treated: the first one aborts (the current child is killed, every
 * finished result kept, results.json marked interrupted, reports written, temporary models removed); a second
 * one exits at once with 128 + its number (results.json already holds every finished model).
 */
export function stopOnSignals(): StopSignals {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) => {
    // 128 + the signal number, as a shell reports a process stopped by it (130 for a second Ctrl-C).
    if (controller.signal.aborted) process.exit(128 + constants.signals[name]);
    // On a terminal the progress line (and a typed ^C) is still open.
    if (process.stderr.isTTY) process.stderr.write("\n");
    writeErrLine(
      `${name === "SIGINT" ? "interrupted" : `stopped by ${name}`}: stopping the current model, keeping every finished result`,
    );
    controller.abort(name);
  };
  for (const name of STOP_SIGNALS) process.on(name, onSignal);
  return {
    signal: controller.signal,
    dispose() {
      for (const name of STOP_SIGNALS) process.off(name, onSignal);
    },
  };
}
