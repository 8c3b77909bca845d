import { existsSync, rmSync, statSync } from "node:fs";
import type { ModelResult, RunResults } from "../results/types.ts";
import { type DbLocation, parseDbLocation } from "./dbLocation.ts";
import { openSqlDatabase } from "./openSqlDatabase.ts";
import { prepareSchema, type SchemaChange } from "./prepareSchema.ts";
import { SqlResultStore } from "./sqlResultStore.ts";

export { defaultDbPath } from "./dbLocation.ts";

/**
 * The history of runs, in an SQLite file or a PostgreSQL database, behind one interface (src/store/ is the
 * only code that imports a database driver). Every method rejects with a one-line GgufBenchError; writes
 * wait out a busy lock or a dropped connection with back-off (retryTransient.ts) before giving up.
 */
export interface ResultStore {
  /** How messages name the database: its path, or its URL without the password. */
  readonly display: string;
  /** Records the run's header (environment, config) and its machine; `results.models` is ignored here. */
  beginRun(results: RunResults): Promise<void>;
  /** Commits one finished model × settings case at once, in its own transaction (idempotent on retry). */
  saveModel(runId: string, model: ModelResult): Promise<void>;
  finishRun(runId: string, finishedAt: string, interrupted: boolean): Promise<void>;
  /**
   * Replaces the run's header with a later state of it (e.g. the llama.cpp build, known only once the first
   * child reported it); `models`, `finishedAt` and `interrupted` are left to saveModel and finishRun.
   */
  updateRun(results: RunResults): Promise<void>;
  /** A whole run by id (or unique id prefix), or null. */
  getRun(runIdOrPrefix: string): Promise<RunResults | null>;
  listRuns(filter?: RunFilter): Promise<RunSummaryRow[]>;
  listMachines(): Promise<MachineRow[]>;
  /** Models measured, one row per file fingerprint, most recently run first (at most `limit`). */
  listModels(limit: number): Promise<ModelSummaryRow[]>;
  /** The stored results of the model with this fingerprint, oldest first (the newest `limit`), with their run. */
  modelHistory(fingerprint: string, limit: number): Promise<ModelHistoryRow[]>;
  /**
   * Adds a run made elsewhere in one transaction. A run already stored is "exists" when it holds everything
   * the file does; when it holds a part of it (a run whose database went away or stayed locked), the rest
   * is added and the run completed from the file.
   */
  importRun(results: RunResults): Promise<ImportOutcome>;
  close(): Promise<void>;
}

export type ImportOutcome = { kind: "added" } | { kind: "exists" } | { kind: "completed"; added: number };

export interface RunFilter {
  /** Part of a model's name (case-insensitive) or the start of its fingerprint. */
  model?: string;
  /** A machine's short name, hostname or the start of its id. */
  machine?: string;
  /** ISO date-times: started at or after `from`, before `to`. */
  from?: string;
  to?: string;
  limit?: number;
}

export interface RunSummaryRow {
  runId: string;
  startedAt: string;
  hostname: string;
  cpuModel: string;
  /** Short machine name (machineIdentity.ts). */
  machine: string;
  models: string[];
  /** "ok" | "partial" | "failed" | "interrupted" | "running" */
  status: string;
}

export interface MachineRow {
  machineId: string;
  name: string;
  hostname: string;
  cpuModel: string;
  runs: number;
  lastStartedAt: string | null;
}

export interface ModelSummaryRow {
  fileFingerprint: string;
  label: string;
  /** Stored results (cases) of it, the runs they belong to, the machines those ran on. */
  results: number;
  runs: number;
  machines: number;
  lastStartedAt: string;
}

export interface ModelHistoryRow {
  runId: string;
  startedAt: string;
  machine: string;
  model: ModelResult;
}

export interface OpenOptions {
  /** Longest total wait for a busy lock or an unreachable server per write (default 20 s). */
  retryBudgetMs?: number;
}

/** Opens the history for writing, creating the file / schema or migrating it once it is known to be ours. */
export async function openStore(location: DbLocation | string, options: OpenOptions = {}): Promise<ResultStore> {
  const { store } = await openStoreReporting(location, options);
  return store;
}

/** openStore that also says what the schema was before (for `gguf-bench db migrate`). */
export async function openStoreReporting(
  location: DbLocation | string,
  options: OpenOptions = {},
): Promise<{ store: ResultStore; change: SchemaChange }> {
  const where = typeof location === "string" ? parseDbLocation(location, "--db") : location;
  const created = where.kind === "sqlite" && !existsSync(where.path) ? where.path : null;
  const opened = await openSqlDatabase(where, "write");
  if (!opened) throw new Error("a database opened for writing is never missing");
  try {
    const change = await prepareSchema(opened.host, "write");
    opened.ready();
    return { store: new SqlResultStore(opened.db, options.retryBudgetMs), change };
  } catch (error) {
    await opened.db.close();
    // A file this call created and could not even start (a full disk) is not left behind, empty.
    if (created && existsSync(created) && statSync(created).size === 0) rmSync(created, { force: true });
    throw error;
  }
}

/**
 * For commands that only read history: opens read-only and creates nothing. A database that does not exist
 * yet (no file, an empty file, no gguf-bench schema in the PostgreSQL database) is an empty history: null.
 */
export async function openExistingStore(location: DbLocation | string): Promise<ResultStore | null> {
  const where = typeof location === "string" ? parseDbLocation(location, "--db") : location;
  const opened = await openSqlDatabase(where, "read");
  if (!opened) return null;
  try {
    const change = await prepareSchema(opened.host, "read");
    if (change.after === null) {
      await opened.db.close();
      return null;
    }
    return new SqlResultStore(opened.db, 0);
  } catch (error) {
    await opened.db.close();
    throw error;
  }
}
