import path from "node:path";
import { GgufBenchError } from "../errors.ts";
import { fsErrorText } from "../files/fsErrorText.ts";
import type { ModelResult, RunResults } from "../results/types.ts";
import type { DbLocation } from "../store/dbLocation.ts";
import { HistoryWriter } from "../store/historyWriter.ts";
import { RESULTS_FILE, writeResultsFile } from "./writeResultsFile.ts";

/** Where results go the moment they exist, so nothing finished is lost to a crash, a signal or a full disk. */
export interface ResultSink {
  /**
   * Claims results.json in the output folder (never replacing one; none when the sink has no folder) and
   * records the run's header in the history. Throws a one-line GgufBenchError when results.json cannot be
   * created: nothing has run yet.
   */
  begin(results: RunResults): Promise<void>;
  /** The run's header changed (e.g. the llama.cpp build, known once the first child reported it). */
  header(results: RunResults): Promise<void>;
  model(results: RunResults, model: ModelResult): Promise<void>;
  finish(results: RunResults): Promise<void>;
  /**
   * One line per destination that missed something, saying what was not written where and why (empty when
   * every result reached every destination). Complete once `finish` returned.
   */
  readonly problems: string[];
}

/** Runs one write; returns why it failed, or null. */
async function attempt(write: () => unknown): Promise<string | null> {
  try {
    await write();
    return null;
  } catch (error) {
    return error instanceof GgufBenchError ? error.message : fsErrorText(error);
  }
}

/**
 * results.json in the output folder (null: no file, for library callers; rewritten atomically after every
 * model) and the history database (null: --no-db), as independent destinations: a write that fails in one is
 * recorded and never stops the other, and each later result is tried again in both. The history writer waits
 * out locks and outages and keeps what it could not store; once one wait ran out while results.json held every
 * result, the database is not tried again this run (a lock held for the whole run would cost that wait per
 * model), unless a later results.json write fails: then the database is the only copy and is tried again. What
 * is missing is listed at the end with how to store it later. Never throws after `begin`.
 */
export function resultSink(outDir: string | null, db: DbLocation | null): ResultSink {
  const problems: string[] = [];
  const file = outDir === null ? null : path.join(outDir, RESULTS_FILE);
  const history = db === null ? null : new HistoryWriter(db);
  /** Results in the last results.json that reached the disk, and why the latest write failed (null: it did not). */
  let fileHolds = 0;
  let fileError: string | null = null;
  /** A failure the history writer did not catch itself (it keeps the step and retries transient ones). */
  let historyError: string | null = null;

  const writeFile = async (results: RunResults) => {
    if (outDir === null) return;
    fileError = await attempt(() => writeResultsFile(outDir, results));
    if (fileError === null) fileHolds = results.models.length;
    else history?.resume();
  };
  const toHistory = async (write: (h: HistoryWriter) => Promise<void>) => {
    if (!history) return;
    const reason = await attempt(() => write(history));
    if (reason !== null) historyError = reason;
    const missing = history.notStored();
    if (file !== null && fileError === null && missing !== null && !missing.permanent) history.holdBack();
  };
  return {
    problems,
    async begin(results) {
      if (outDir !== null) {
        try {
          await writeResultsFile(outDir, results, { claim: true });
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === "EEXIST") {
            throw new GgufBenchError(
              "out-dir-taken",
              `${file} already exists: ${outDir} holds an earlier run's results; give a new folder with --out (or omit --out for a fresh timestamped one)`,
            );
          }
          throw new GgufBenchError(
            "out-dir",
            `cannot write ${file}: ${fsErrorText(error)}; choose another folder with --out`,
          );
        }
        fileHolds = results.models.length;
      }
      await toHistory((h) => h.begin(results));
    },
    async header(results) {
      await writeFile(results);
      await toHistory((h) => h.header(results));
    },
    async model(results, model) {
      await writeFile(results);
      await toHistory((h) => h.model(results.runId, model));
    },
    async finish(results) {
      await writeFile(results);
      const finishedAt = results.finishedAt ?? new Date().toISOString();
      await toHistory((h) => h.finish(results.runId, finishedAt, results.interrupted));
      if (fileError !== null)
        problems.push(
          `${file} holds ${fileHolds} of ${results.models.length} result(s): its latest write failed (${fileError})`,
        );
      if (!history) return;
      const missing = history.notStored();
      if (missing) {
        const what =
          missing.models.length > 0
            ? `${missing.models.length} model result(s) not stored (${missing.models.join(", ")})`
            : "the end of the run not stored";
        const notAgain = history.isHeldBack ? `; not tried again this run after that wait` : "";
        const later =
          file === null
            ? "; store them later with the history store's importRun(results)"
            : fileError === null
              ? `${notAgain}; all ${results.models.length} result(s) are in ${file}: store them later with: gguf-bench import ${file} --db ${missing.permanent ? "<a usable database>" : history.display}`
              : "";
        const reason = missing.reason === "unknown" && historyError !== null ? historyError : missing.reason;
        problems.push(`history database ${history.display}: ${what}: ${reason}${later}`);
      } else if (historyError !== null) {
        problems.push(`history database ${history.display}: ${historyError}`);
      }
    },
  };
}
