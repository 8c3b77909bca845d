import { GgufBenchError } from "../errors.ts";

/**
 * Errors worth waiting out: a lock held by another writer (SQLite BUSY), a server that cannot be reached
 * or dropped the connection (it may be restarting). Anything else (a wrong password, a newer schema, a
 * corrupt file) will not change by waiting.
 */
export const TRANSIENT_DB_CODES: readonly string[] = ["db-busy", "db-unreachable", "db-connection-lost"];

export function isTransientDbError(error: unknown): boolean {
  return error instanceof GgufBenchError && TRANSIENT_DB_CODES.includes(error.code);
}

/** First pause after a transient failure; each further pause doubles, up to MAX_PAUSE_MS. */
const FIRST_PAUSE_MS = 100;
const MAX_PAUSE_MS = 4_000;

/**
 * Runs `attempt` until it succeeds, fails with a non-transient error, or `budgetMs` of waiting has passed
 * (then the last error is thrown, its message saying how long we waited). Pauses back off exponentially
 * with jitter, so writers that collided do not collide again in step.
 */
export async function retryTransient<T>(attempt: () => Promise<T>, budgetMs: number): Promise<T> {
  const started = Date.now();
  let pause = FIRST_PAUSE_MS;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      const waited = Date.now() - started;
      if (!isTransientDbError(error)) throw error;
      if (waited >= budgetMs) {
        const e = error as GgufBenchError;
        throw new GgufBenchError(e.code, `${e.message} (gave up after waiting ${(waited / 1000).toFixed(1)} s)`, {
          cause: e,
        });
      }
      const wait = Math.min(pause * (0.5 + Math.random()), MAX_PAUSE_MS, Math.max(0, budgetMs - waited));
      await new Promise((resolve) => setTimeout(resolve, wait));
      pause = Math.min(pause * 2, MAX_PAUSE_MS);
    }
  }
}
