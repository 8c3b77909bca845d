import { GgufBenchError } from "../errors.ts";
import type { ModelResult, RunResults } from "../results/types.ts";
import type { DbLocation } from "./dbLocation.ts";
import { openStore, type ResultStore } from "./resultStore.ts";
import { isTransientDbError, retryTransient } from "./retryTransient.ts";

/** Seconds a run waits, per save, for a locked or unreachable history database (default 20). */
export const DB_WAIT_ENV = "GGUF_BENCH_DB_WAIT";
const DEFAULT_WAIT_MS = 20_000;

type Step =
  | { kind: "begin"; results: RunResults }
  | { kind: "header"; results: RunResults }
  | { kind: "model"; runId: string; model: ModelResult }
  | { kind: "finish"; runId: string; finishedAt: string; interrupted: boolean };

/**
 * Writes one run to the history as it happens, and never throws: the measurements are safe in results.json
 * whatever the database does. Steps are kept in order and sent one by one; a step that fails for a
 * transient reason (a lock held too long, a server restarting or gone) is waited for with back-off up to
 * the budget, then kept with everything after it and tried again at the next step, so a database that comes
 * back mid-run gets the whole run. A permanent failure (wrong password, newer schema) stops trying.
 * `holdBack()` stops trying too (steps are only kept) until `resume()`: for a caller whose results are safe
 * elsewhere, so a database locked for the whole run costs one wait, not one per step.
 * `notStored()` says what is left; `gguf-bench import results.json` completes the run later.
 */
export class HistoryWriter {
  private store: ResultStore | null = null;
  private readonly pending: Step[] = [];
  private lastError: string | null = null;
  private gaveUp = false;
  private heldBack = false;
  private readonly waitMs: number;

  constructor(
    private readonly location: DbLocation,
    waitMs?: number,
  ) {
    this.waitMs = waitMs ?? waitFromEnvironment();
  }

  get display(): string {
    return this.location.display;
  }

  begin(results: RunResults): Promise<void> {
    return this.push({ kind: "begin", results: { ...results, models: [] } });
  }

  header(results: RunResults): Promise<void> {
    const snapshot = { ...results, models: [] };
    // Only the latest header matters; an unsent begin simply starts with it.
    const queued = this.pending.find((s) => s.kind === "begin" || s.kind === "header");
    if (queued && (queued.kind === "begin" || queued.kind === "header")) {
      queued.results = snapshot;
      return this.flush();
    }
    return this.push({ kind: "header", results: snapshot });
  }

  model(runId: string, model: ModelResult): Promise<void> {
    return this.push({ kind: "model", runId, model });
  }

  async finish(runId: string, finishedAt: string, interrupted: boolean): Promise<void> {
    await this.push({ kind: "finish", runId, finishedAt, interrupted });
    await this.store?.close().catch(() => undefined);
    this.store = null;
  }

  /**
   * What did not reach the database, and why; null when everything did. `permanent`: trying this database
   * again cannot help (not a gguf-bench database, a newer schema, a wrong password).
   */
  notStored(): { models: string[]; runRecord: boolean; reason: string; permanent: boolean } | null {
    if (this.pending.length === 0) return null;
    return {
      models: this.pending.flatMap((s) => (s.kind === "model" ? [s.model.label] : [])),
      runRecord: this.pending.some((s) => s.kind !== "model"),
      reason: this.lastError ?? "unknown",
      permanent: this.gaveUp,
    };
  }

  /** Keeps every later step without trying the database (no more waits) until `resume()`. */
  holdBack(): void {
    this.heldBack = true;
  }

  /** Tries the database again from the next step on, with everything kept so far. */
  resume(): void {
    this.heldBack = false;
  }

  /** True while `holdBack()` is in force. */
  get isHeldBack(): boolean {
    return this.heldBack;
  }

  private push(step: Step): Promise<void> {
    this.pending.push(step);
    return this.flush();
  }

  private async flush(): Promise<void> {
    if (this.gaveUp || this.heldBack) return;
    try {
      if (!this.store) this.store = await retryTransient(() => openStore(this.location, this.options()), this.waitMs);
      while (this.pending.length > 0) {
        await this.send(this.store, this.pending[0] as Step);
        this.pending.shift();
      }
      this.lastError = null;
    } catch (error) {
      if (!(error instanceof GgufBenchError)) throw error;
      this.lastError = error.message;
      if (!isTransientDbError(error)) this.gaveUp = true;
    }
  }

  private options() {
    return { retryBudgetMs: this.waitMs };
  }

  private async send(store: ResultStore, step: Step): Promise<void> {
    switch (step.kind) {
      case "begin":
        return store.beginRun(step.results);
      case "header":
        return store.updateRun(step.results);
      case "model":
        return store.saveModel(step.runId, step.model);
      case "finish":
        return store.finishRun(step.runId, step.finishedAt, step.interrupted);
      default:
        return step satisfies never;
    }
  }
}

function waitFromEnvironment(): number {
  const text = process.env[DB_WAIT_ENV];
  const seconds = text === undefined ? Number.NaN : Number(text);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : DEFAULT_WAIT_MS;
}
