import type { Stage } from "../results/types.ts";
import type { RunningServer } from "./llamaServerProcess.ts";
import type { ServingClient } from "./servingClient.ts";
import { unexpectedExit } from "./unexpectedExit.ts";

/** How long a request that lost its connection waits to learn whether the server died (its exit comes a moment later). */
const DEATH_WAIT_MS = 2000;

/**
 * The client, but a request cut short because the server died says so first: "llama-server was killed by SIGKILL
 * (out of memory?) during inference; the request in flight: connection-failed: … other side closed", with the
 * death's code (killed, crash, server-exit). Only a lost connection or a broken stream waits for the exit.
 */
export function deathFirst(client: ServingClient, server: RunningServer, stage: Stage): ServingClient {
  return {
    tokenize: (text, addSpecial, signal) => client.tokenize(text, addSpecial, signal),
    async complete(request, signal) {
      const result = await client.complete(request, signal);
      if (result.ok || signal?.aborted || !["connection-failed", "malformed-stream"].includes(result.code))
        return result;
      let timer: NodeJS.Timeout | undefined;
      const exit = await Promise.race([
        server.exited,
        new Promise<null>((resolve) => {
          timer = setTimeout(() => resolve(null), DEATH_WAIT_MS);
        }),
      ]);
      clearTimeout(timer);
      if (exit === null || server.endedByUs(exit)) return result;
      // A SIGKILL comes from outside (the OOM killer, a user): the server's last log line cannot say why.
      const death = unexpectedExit(exit, stage, exit.signal === "SIGKILL" ? null : server.reason()).error;
      return {
        ok: false,
        code: death.code,
        message: `${death.message}; the request in flight: ${result.code}: ${result.message}`,
      };
    },
  };
}
