import { GgufBenchError } from "../errors.ts";
import type { ModelResult, RunResults } from "../results/types.ts";

// STUB (contract) — implemented by the store owner. The only module that imports better-sqlite3.
export interface ResultStore {
  /** Records the run's header (environment, config); `results.models` is ignored here. */
  beginRun(results: RunResults): void;
  /** Commits one finished model × settings case at once, in its own transaction. */
  saveModel(runId: string, model: ModelResult): void;
  finishRun(runId: string, finishedAt: string, interrupted: boolean): void;
  /** A whole run by id (or unique id prefix), or null. */
  getRun(runIdOrPrefix: string): RunResults | null;
  listRuns(filter?: { model?: string }): RunSummaryRow[];
  close(): void;
}
/** `$XDG_DATA_HOME/gguf-bench/results.db` (XDG default ~/.local/share). */
export function defaultDbPath(): string {
  throw new GgufBenchError("not-implemented", "store not built yet");
}
export function openStore(path: string): ResultStore {
  throw new GgufBenchError("not-implemented", `store not built yet (${path})`);
}

export interface RunSummaryRow {
  runId: string;
  startedAt: string;
  hostname: string;
  cpuModel: string;
  models: string[];
  /** "ok" | "partial" | "failed" | "interrupted" | "running" */
  status: string;
}
