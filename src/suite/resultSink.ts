import { join } from "node:path";
import type { ModelResult, RunResults } from "../results/types.ts";
import type { DbLocation } from "../store/dbLocation.ts";
import { HistoryWriter } from "../store/historyWriter.ts";
import { writeResultsFile } from "./writeResultsFile.ts";

/** Where results go the moment they exist, so nothing finished is lost to a crash or Ctrl-C. */
export interface ResultSink {
  begin(results: RunResults): Promise<void>;
  /** The run's header changed (e.g. the llama.cpp build, known once the first child reported it). */
  header(results: RunResults): Promise<void>;
  model(results: RunResults, model: ModelResult): Promise<void>;
  finish(results: RunResults): Promise<void>;
  /** Problems that did not stop the run (e.g. the history database could not be written). */
  readonly problems: string[];
}

/**
 * results.json in the output folder (null: no file, for library callers), rewritten atomically after every model,
 * and the history database (null: --no-db). A database failure never costs the measurements: the history writer waits out locks and
 * outages, and what it could not store is listed at the end with the command that stores it later.
 */
export function resultSink(outDir: string | null, db: DbLocation | null): ResultSink {
  const problems: string[] = [];
  const history = db === null ? null : new HistoryWriter(db);
  return {
    problems,
    async begin(results) {
      if (outDir !== null) await writeResultsFile(outDir, results);
      await history?.begin(results);
    },
    async header(results) {
      if (outDir !== null) await writeResultsFile(outDir, results);
      await history?.header(results);
    },
    async model(results, model) {
      if (outDir !== null) await writeResultsFile(outDir, results);
      await history?.model(results.runId, model);
    },
    async finish(results) {
      if (outDir !== null) await writeResultsFile(outDir, results);
      await history?.finish(results.runId, results.finishedAt ?? new Date().toISOString(), results.interrupted);
      const missing = history?.notStored();
      if (history && missing) {
        const what =
          missing.models.length > 0
            ? `${missing.models.length} model result(s) not stored (${missing.models.join(", ")})`
            : "the end of the run not stored";
        const later =
          outDir === null
            ? "store them later with the history store's importRun(results)"
            : `store them later with: gguf-bench import ${join(outDir, "results.json")} --db ${history.display}`;
        problems.push(`history database ${history.display}: ${what}: ${missing.reason}; ${later}`);
      }
    },
  };
}
