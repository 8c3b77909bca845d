import type { ChildProcess } from "node:child_process";

/** Every server process gguf-bench started and has not seen end. */
const live = new Set<ChildProcess>();
let hooked = false;

/**
 * Registers a server so that it never outlives gguf-bench: whatever way this process exits (normally, an
 * uncaught error, Ctrl-C), every server still running is killed on the way out.
 */
export function trackServer(child: ChildProcess): void {
  live.add(child);
  if (hooked) return;
  hooked = true;
  process.on("exit", () => {
    for (const server of live) server.kill("SIGKILL");
  });
}

export function untrackServer(child: ChildProcess): void {
  live.delete(child);
}

/** The pids of the servers still running (tests check that none is left). */
export function liveServerPids(): number[] {
  return [...live].flatMap((child) => (child.pid === undefined ? [] : [child.pid]));
}
