import { resolveDbLocation } from "../store/dbLocation.ts";
import { openExistingStore, openStore, type ResultStore } from "../store/resultStore.ts";

export type {
  ImportOutcome,
  MachineRow,
  ModelHistoryRow,
  ModelSummaryRow,
  ResultStore,
  RunFilter,
  RunSummaryRow,
} from "../store/resultStore.ts";

/**
 * Opens the history database `gguf-bench run` saves every run to — the same place the CLI uses: `location`, else
 * the GGUF_BENCH_DB environment variable, else `$XDG_DATA_HOME/gguf-bench/results.db` (~/.local/share/...). A
 * location is an SQLite file path or a `postgres://user:password@host:port/database` URL.
 *
 * For writing (the default) the database is created or migrated to the current schema. With `readOnly: true`
 * nothing is created or changed, and a database that does not exist yet resolves to null (an empty history).
 * Close the store when done (`await store.close()`).
 *
 * @throws GgufBenchError with a one-line message: a database that is not gguf-bench's, one written by a newer
 *   gguf-bench, a corrupt file, a wrong password or an unreachable server; UsageError for an empty location.
 */
export async function openHistoryStore(location?: string): Promise<ResultStore>;
export async function openHistoryStore(
  location: string | undefined,
  options: { readOnly?: boolean },
): Promise<ResultStore | null>;
export async function openHistoryStore(
  location?: string,
  options: { readOnly?: boolean } = {},
): Promise<ResultStore | null> {
  const where = resolveDbLocation(location);
  return options.readOnly ? openExistingStore(where) : openStore(where);
}
