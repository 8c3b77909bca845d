import { GgufBenchError } from "../errors.ts";
import type { ModelResult, RunResults } from "../results/types.ts";
import { openStore, type ResultStore } from "../store/resultStore.ts";
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
 * results.json in the output folder, rewritten atomically after every model, and the history database
 * (null path: --no-db). A database failure never costs the measurements: it is noted and results.json goes on.
 */
export function resultSink(outDir: string, dbPath: string | null): ResultSink {
  const problems: string[] = [];
  let store: ResultStore | null = null;
  const guard = (what: string, action: () => void) => {
    if (!store) return;
    try {
      action();
    } catch (error) {
      problems.push(`history database ${what} failed: ${error instanceof Error ? error.message : String(error)}`);
      store.close();
      store = null;
    }
  };
  return {
    problems,
    async begin(results) {
      await writeResultsFile(outDir, results);
      if (dbPath === null) return;
      try {
        store = openStore(dbPath);
      } catch (error) {
        const message = error instanceof GgufBenchError ? error.message : String(error);
        problems.push(`results not saved to the history database: ${message}`);
        return;
      }
      guard("begin", () => store?.beginRun(results));
    },
    async header(results) {
      await writeResultsFile(outDir, results);
      guard("update", () => store?.updateRun(results));
    },
    async model(results, model) {
      await writeResultsFile(outDir, results);
      guard("save", () => store?.saveModel(results.runId, model));
    },
    async finish(results) {
      await writeResultsFile(outDir, results);
      guard("finish", () =>
        store?.finishRun(results.runId, results.finishedAt ?? new Date().toISOString(), results.interrupted),
      );
      store?.close();
      store = null;
    },
  };
}
