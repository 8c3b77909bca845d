import { hostname } from "node:os";
import { GgufBenchError } from "../errors.ts";
import { caseStatus } from "../results/caseStatus.ts";
import { runResultsSchema } from "../results/schema.ts";
import type { ModelResult, RunResults } from "../results/types.ts";
import { planImport } from "./importPlan.ts";
import { machineIdentity } from "./machineIdentity.ts";
import { listModelsQuery, modelHistoryQuery } from "./modelQueries.ts";
import { processStartToken } from "./processStartToken.ts";
import type {
  ImportOutcome,
  MachineRow,
  ModelHistoryRow,
  ModelSummaryRow,
  ResultStore,
  RunFilter,
  RunSummaryRow,
} from "./resultStore.ts";
import { retryTransient } from "./retryTransient.ts";
import { escapeLikeText, runFilterSql } from "./runFilterSql.ts";
import { type RunRow, statusOfRow } from "./runRow.ts";
import type { SqlDatabase, SqlExecutor, SqlValue } from "./sqlDatabase.ts";
import { upsertMachine } from "./upsertMachine.ts";

const DEFAULT_RETRY_BUDGET_MS = 20_000;
/** Reads wait less: a page or a command is waiting for them. */
const READ_RETRY_BUDGET_MS = 2_000;

const RUN_COLUMNS = `r.run_id, r.started_at, r.finished_at, r.interrupted, r.hostname, r.cpu_model, r.header_json,
  r.writer_host, r.writer_pid, r.writer_token, r.machine_id, m.name AS machine_name`;
const RUNS_FROM = "runs r LEFT JOIN machines m ON m.machine_id = r.machine_id";

/** The store's queries, written once for SQLite and PostgreSQL alike (see sqlDatabase.ts). */
export class SqlResultStore implements ResultStore {
  private readonly writeBudgetMs: number;

  constructor(
    private readonly db: SqlDatabase,
    retryBudgetMs = DEFAULT_RETRY_BUDGET_MS,
  ) {
    this.writeBudgetMs = retryBudgetMs;
  }

  get display(): string {
    return this.db.display;
  }

  async beginRun(results: RunResults): Promise<void> {
    const writer = { host: hostname(), pid: process.pid, token: processStartToken(process.pid) };
    await this.write((tx) =>
      tx
        .all<RunRow>("SELECT writer_host, writer_pid, writer_token FROM runs WHERE run_id = ?", [results.runId])
        .then(async ([existing]) => {
          if (existing) {
            // A retry after a commit whose answer was lost: the row is ours already.
            if (existing.writer_pid === writer.pid && existing.writer_token === writer.token) return;
            throw new GgufBenchError("run-exists", `run ${results.runId} is already in ${this.display}`);
          }
          await this.insertRun(tx, results, { ...writer, importedAt: null });
        }),
    );
  }

  async saveModel(runId: string, model: ModelResult): Promise<void> {
    const json = JSON.stringify(model);
    // One statement, so one round trip and its own transaction: a save is what many writers do at once.
    // It does nothing when the run is unknown, or when this very case is stored already (a retry after a
    // commit whose answer was lost must not store it twice).
    const changed = await retryTransient(
      () =>
        this.db.run(
          `INSERT INTO models (run_id, position, case_id, label, file_fingerprint, status, result_json, saved_at)
           SELECT ?, (SELECT coalesce(max(position) + 1, 0) FROM models WHERE run_id = ?), ?, ?, ?, ?, ?, ?
           WHERE EXISTS (SELECT 1 FROM runs WHERE run_id = ?)
             AND NOT EXISTS (SELECT 1 FROM models WHERE run_id = ? AND case_id = ? AND result_json = ?)`,
          [...modelRowValues(runId, model, json), runId, runId, model.caseId, json],
        ),
      this.writeBudgetMs,
    );
    if (changed === 0 && !(await this.exists(this.db, runId))) throw this.notFound(runId);
  }

  async finishRun(runId: string, finishedAt: string, interrupted: boolean): Promise<void> {
    await this.write(async (tx) => {
      const changed = await tx.run("UPDATE runs SET finished_at = ?, interrupted = ? WHERE run_id = ?", [
        finishedAt,
        interrupted ? 1 : 0,
        runId,
      ]);
      if (changed === 0) throw this.notFound(runId);
    });
  }

  async updateRun(results: RunResults): Promise<void> {
    await this.write(async (tx) => {
      const machine = machineIdentity(results.environment);
      await upsertMachine(tx, machine, results.startedAt);
      const changed = await tx.run(
        `UPDATE runs SET header_json = ?, hostname = ?, cpu_model = ?, started_at = ?, machine_id = ?
         WHERE run_id = ?`,
        [
          headerJson(results),
          results.environment.hostname,
          results.environment.cpu.model,
          results.startedAt,
          machine.id,
          results.runId,
        ],
      );
      if (changed === 0) throw this.notFound(results.runId);
    });
  }

  async getRun(runIdOrPrefix: string): Promise<RunResults | null> {
    return this.read(async () => {
      const row = await this.findRun(runIdOrPrefix);
      if (!row) return null;
      const models = (
        await this.db.all<{ result_json: string }>(
          "SELECT result_json FROM models WHERE run_id = ? ORDER BY position",
          [row.run_id],
        )
      ).map((m) => parseJson<ModelResult>(m.result_json, `a model of run ${row.run_id}`, this.display));
      const header = parseJson<RunResults>(row.header_json, `run ${row.run_id}`, this.display);
      const status = statusOfRow(row, models.map(caseStatus));
      header.finishedAt = row.finished_at;
      // A run whose writer died never said so itself; it was stopped early all the same.
      header.interrupted = row.interrupted === 1 || status === "interrupted";
      header.models = models;
      const checked = runResultsSchema.safeParse(header);
      if (!checked.success) {
        const issue = checked.error.issues[0];
        throw new GgufBenchError(
          "db-corrupt-row",
          `${this.display}: the stored data of run ${row.run_id} is not a valid run (${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid"})`.replace(
            /\s+/g,
            " ",
          ),
        );
      }
      return header;
    });
  }

  async listRuns(filter: RunFilter = {}): Promise<RunSummaryRow[]> {
    return this.read(async () => {
      const where = runFilterSql(filter);
      const limit = filter.limit === undefined ? "" : ` LIMIT ${Math.max(0, Math.trunc(filter.limit))}`;
      const runs = await this.db.all<RunRow>(
        `SELECT ${RUN_COLUMNS} FROM ${RUNS_FROM} ${where.sql} ORDER BY r.started_at DESC, r.run_id${limit}`,
        where.params,
      );
      const byRun = new Map<string, { label: string; status: ModelResult["status"] }[]>();
      const models = await this.db.all<{ run_id: string; label: string; status: ModelResult["status"] }>(
        `SELECT run_id, label, status FROM models WHERE run_id IN (SELECT r.run_id FROM ${RUNS_FROM} ${where.sql})
         ORDER BY run_id, position`,
        where.params,
      );
      for (const m of models) {
        const list = byRun.get(m.run_id) ?? [];
        list.push(m);
        byRun.set(m.run_id, list);
      }
      return runs.map((row) => {
        const models = byRun.get(row.run_id) ?? [];
        return {
          runId: row.run_id,
          startedAt: row.started_at,
          hostname: row.hostname,
          cpuModel: row.cpu_model,
          machine: row.machine_name ?? "unknown",
          models: [...new Set(models.map((m) => m.label))],
          status: statusOfRow(
            row,
            models.map((m) => m.status),
          ),
        };
      });
    });
  }

  async listMachines(): Promise<MachineRow[]> {
    return this.read(async () => {
      const rows = await this.db.all<{
        machine_id: string;
        name: string;
        hostname: string;
        cpu_model: string;
        runs: number | string;
        last_started_at: string | null;
      }>(
        `SELECT m.machine_id, m.name, m.hostname, m.cpu_model, count(r.run_id) AS runs, max(r.started_at) AS last_started_at
         FROM machines m LEFT JOIN runs r ON r.machine_id = m.machine_id
         GROUP BY m.machine_id, m.name, m.hostname, m.cpu_model ORDER BY m.name, m.machine_id`,
      );
      // PostgreSQL's count is a bigint, which its driver returns as a string.
      return rows.map((r) => ({
        machineId: r.machine_id,
        name: r.name,
        hostname: r.hostname,
        cpuModel: r.cpu_model,
        runs: Number(r.runs),
        lastStartedAt: r.last_started_at,
      }));
    });
  }

  listModels(limit: number): Promise<ModelSummaryRow[]> {
    return this.read(() => listModelsQuery(this.db, limit));
  }

  modelHistory(fingerprint: string, limit: number): Promise<ModelHistoryRow[]> {
    return this.read(() => modelHistoryQuery(this.db, fingerprint, limit));
  }

  async importRun(results: RunResults): Promise<ImportOutcome> {
    return this.write(async (tx) => {
      const [row] = await tx.all<RunRow>(`SELECT ${RUN_COLUMNS} FROM ${RUNS_FROM} WHERE r.run_id = ?`, [results.runId]);
      if (!row) {
        await this.insertRun(tx, results, { host: null, pid: null, token: null, importedAt: new Date().toISOString() });
        for (const model of results.models) await this.insertModel(tx, results.runId, model, JSON.stringify(model));
        return { kind: "added" };
      }
      const stored = await tx.all<{ result_json: string }>(
        "SELECT result_json FROM models WHERE run_id = ? ORDER BY position",
        [results.runId],
      );
      const plan = planImport(
        results,
        row,
        stored.map((m) => parseJson<ModelResult>(m.result_json, `a model of run ${row.run_id}`, this.display)),
        this.display,
      );
      if (plan.kind === "exists") return plan;
      // The file holds the complete run: its models, in its order, replace the part that was stored.
      await tx.run("DELETE FROM models WHERE run_id = ?", [results.runId]);
      for (const model of results.models) await this.insertModel(tx, results.runId, model, JSON.stringify(model));
      await tx.run("UPDATE runs SET header_json = ?, finished_at = ?, interrupted = ? WHERE run_id = ?", [
        headerJson(results),
        results.finishedAt,
        results.interrupted ? 1 : 0,
        results.runId,
      ]);
      return plan;
    });
  }

  close(): Promise<void> {
    return this.db.close();
  }

  private write<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    if (this.db.readOnly) throw new Error("a read-only store was asked to write");
    return retryTransient(() => this.db.transaction(fn), this.writeBudgetMs);
  }

  private read<T>(fn: () => Promise<T>): Promise<T> {
    return retryTransient(fn, READ_RETRY_BUDGET_MS);
  }

  private async exists(tx: SqlExecutor, runId: string): Promise<boolean> {
    return (await tx.all("SELECT 1 AS one FROM runs WHERE run_id = ?", [runId])).length > 0;
  }

  private async findRun(idOrPrefix: string): Promise<RunRow | null> {
    if (idOrPrefix === "") return null;
    const [exact] = await this.db.all<RunRow>(`SELECT ${RUN_COLUMNS} FROM ${RUNS_FROM} WHERE r.run_id = ?`, [
      idOrPrefix,
    ]);
    if (exact) return exact;
    const matches = await this.db.all<RunRow>(
      `SELECT ${RUN_COLUMNS} FROM ${RUNS_FROM} WHERE lower(r.run_id) LIKE ? ESCAPE '\\'
       ORDER BY r.started_at DESC LIMIT 4`,
      [`${escapeLikeText(idOrPrefix.toLowerCase())}%`],
    );
    if (matches.length > 1) {
      const some = matches.slice(0, 3).map((r) => r.run_id);
      throw new GgufBenchError(
        "run-id-ambiguous",
        `run id prefix "${idOrPrefix}" matches several runs (${some.join(", ")}${matches.length > 3 ? ", …" : ""}); give more characters`,
      );
    }
    return matches[0] ?? null;
  }

  private async insertRun(
    tx: SqlExecutor,
    results: RunResults,
    writer: { host: string | null; pid: number | null; token: string | null; importedAt: string | null },
  ): Promise<void> {
    const machine = machineIdentity(results.environment);
    await upsertMachine(tx, machine, results.startedAt);
    await tx.run(
      `INSERT INTO runs (run_id, started_at, finished_at, interrupted, hostname, cpu_model, results_schema_version,
         header_json, writer_host, writer_pid, writer_token, imported_at, machine_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        results.runId,
        results.startedAt,
        results.finishedAt,
        results.interrupted ? 1 : 0,
        results.environment.hostname,
        results.environment.cpu.model,
        results.schemaVersion,
        headerJson(results),
        writer.host,
        writer.pid,
        writer.token,
        writer.importedAt,
        machine.id,
      ],
    );
  }

  private async insertModel(tx: SqlExecutor, runId: string, model: ModelResult, json: string): Promise<void> {
    // Every call is a new case, appended in the order the cases finished.
    await tx.run(
      `INSERT INTO models (run_id, position, case_id, label, file_fingerprint, status, result_json, saved_at)
       VALUES (?, (SELECT coalesce(max(position) + 1, 0) FROM models WHERE run_id = ?), ?, ?, ?, ?, ?, ?)`,
      modelRowValues(runId, model, json),
    );
  }

  private notFound(runId: string): GgufBenchError {
    return new GgufBenchError("run-not-found", `no run ${runId} in ${this.display}`);
  }
}

/** Models are stored one row each; the header keeps the key order of the original with an empty list. */
function headerJson(results: RunResults): string {
  return JSON.stringify({ ...results, models: [] });
}

/** A row that does not parse is a corrupt history, reported in one line (never a stack trace). */
function parseJson<T>(text: string, what: string, display: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new GgufBenchError("db-corrupt-row", `${display}: the stored data of ${what} is not valid JSON`);
  }
}

/**
 * The values of a new `models` row in the INSERTs' column order (the run id twice: the row's and its position's
 * subquery), the status as readers take it (caseStatus: a case a stop cut short is stored as interrupted).
 */
function modelRowValues(runId: string, model: ModelResult, json: string): SqlValue[] {
  return [
    runId,
    runId,
    model.caseId,
    model.label,
    model.fileFingerprint,
    caseStatus(model),
    json,
    new Date().toISOString(),
  ];
}
