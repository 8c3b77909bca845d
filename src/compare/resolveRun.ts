import { statSync } from "node:fs";
import { GgufBenchError } from "../errors.ts";
import { loadResultsFile } from "../results/loadResultsFile.ts";
import type { RunResults } from "../results/types.ts";
import type { DbLocation } from "../store/dbLocation.ts";
import { openExistingStore, type ResultStore } from "../store/resultStore.ts";

export interface ResolvedRun {
  run: RunResults;
  /** "database" or the results.json path it was read from. */
  source: string;
}

/**
 * A run named on the command line: a results.json path when such a file exists (or the name ends in .json),
 * otherwise a run id or unique id prefix in the history database. Opens the database only when needed and
 * keeps it open for the next lookup; call `close` when done.
 */
export class RunResolver {
  private store: ResultStore | null | undefined;
  constructor(private readonly db: DbLocation) {}

  async resolve(ref: string): Promise<ResolvedRun> {
    if (ref.endsWith(".json") || isFile(ref)) return { run: await loadResultsFile(ref), source: ref };
    if (this.store === undefined) this.store = await openExistingStore(this.db);
    const run = (await this.store?.getRun(ref)) ?? null;
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
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
