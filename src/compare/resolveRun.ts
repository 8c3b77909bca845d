import { lstatSync } from "node:fs";
import { GgufBenchError } from "../errors.ts";
import { loadResultsFile } from "../results/loadResultsFile.ts";
import type { RunResults } from "../results/types.ts";
import { validateRunResults } from "../results/validateRunResults.ts";
import type { DbLocation } from "../store/dbLocation.ts";
import { openExistingStore, type ResultStore } from "../store/resultStore.ts";

export interface ResolvedRun {
  run: RunResults;
  /** "database" or the results.json path it was read from. */
  source: string;
}

/**
 * A run named on the command line: a results.json path when the name ends in .json or anything exists under
 * that name (a FIFO or a folder is then refused as a file, never mistaken for a run id), otherwise a run id or
 * unique id prefix in the history database. A run read from the database is validated like a file, so a
 * corrupt row is a one-line error, not a crash. Opens the database only when needed and keeps it open for the
 * next lookup; call `close` when done.
 */
export class RunResolver {
  private store: ResultStore | null | undefined;
  constructor(private readonly db: DbLocation) {}

  async resolve(ref: string): Promise<ResolvedRun> {
    if (ref.endsWith(".json") || exists(ref)) return { run: await loadResultsFile(ref), source: ref };
    if (this.store === undefined) this.store = await openExistingStore(this.db);
    const run = await this.fromStore(ref);
    if (!run) {
      throw new GgufBenchError(
        "run-not-found",
        `no run "${ref}" in ${this.db.display} and no such results file (list runs with: gguf-bench history)`,
      );
    }
    return { run, source: "database" };
  }

  async close(): Promise<void> {
    await this.store?.close();
  }

  private async fromStore(ref: string): Promise<RunResults | null> {
    let run: RunResults | null;
    try {
      run = (await this.store?.getRun(ref)) ?? null;
    } catch (error) {
      if (error instanceof GgufBenchError) throw error;
      // A row that is not valid JSON (edited, or written by a broken build): the message says which run.
      throw new GgufBenchError(
        "history-corrupt",
        `run "${ref}" in ${this.db.display} cannot be read (${error instanceof Error ? error.message : String(error)}); the rest of the history is unaffected`,
      );
    }
    return run === null ? null : validateRunResults(run, `run "${ref}" in ${this.db.display}`);
  }
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
