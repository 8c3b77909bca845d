import { homedir, hostname } from "node:os";
import { isAbsolute, join } from "node:path";
import type Database from "better-sqlite3";
import { GgufBenchError } from "../errors.ts";
import type { ModelResult, RunResults } from "../results/types.ts";
import { openDatabase } from "./openDatabase.ts";
import { processStartToken } from "./processStartToken.ts";
import { runStatus } from "./runStatus.ts";
import { sqliteError } from "./sqliteError.ts";

/** The history of runs in one SQLite file (src/store/ is the only code that imports better-sqlite3). */
export interface ResultStore {
  readonly path: string;
  /** Records the run's header (environment, config); `results.models` is ignored here. */
  beginRun(results: RunResults): void;
  /** Commits one finished model × settings case at once, in its own transaction. */
  saveModel(runId: string, model: ModelResult): void;
  finishRun(runId: string, finishedAt: string, interrupted: boolean): void;
  /**
   * Replaces the run's header with a later state of it (e.g. the llama.cpp build, known only once the first
   * child reported it); `models`, `finishedAt` and `interrupted` are left to saveModel and finishRun.
   */
  updateRun(results: RunResults): void;
  /** A whole run by id (or unique id prefix), or null. */
  getRun(runIdOrPrefix: string): RunResults | null;
  listRuns(filter?: { model?: string }): RunSummaryRow[];
  /** Adds a complete run made elsewhere in one transaction; "exists" (and nothing written) when its id is known. */
  importRun(results: RunResults): "added" | "exists";
  close(): void;
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

/** `$XDG_DATA_HOME/gguf-bench/results.db` (XDG default ~/.local/share). */
export function defaultDbPath(): string {
  // The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
  const xdg = process.env.XDG_DATA_HOME;
  const dataHome = xdg && isAbsolute(xdg) ? xdg : join(homedir(), ".local", "share");
  return join(dataHome, "gguf-bench", "results.db");
}

/** Opens (creating directories, file and schema as needed) the database at `path`. */
export function openStore(path: string): ResultStore {
  return new SqliteResultStore(openDatabase(path), path);
}

interface RunRow {
  run_id: string;
  started_at: string;
  finished_at: string | null;
  interrupted: number;
  hostname: string;
  cpu_model: string;
  header_json: string;
  writer_host: string | null;
  writer_pid: number | null;
  writer_token: string | null;
}

class SqliteResultStore implements ResultStore {
  constructor(
    private readonly db: Database.Database,
    readonly path: string,
  ) {}

  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      throw sqliteError(this.path, error);
    }
  }

  beginRun(results: RunResults): void {
    this.guard(() => {
      if (this.exists(results.runId)) {
        throw new GgufBenchError("run-exists", `run ${results.runId} is already in ${this.path}`);
      }
      this.insertRun(results, {
        writerHost: hostname(),
        writerPid: process.pid,
        writerToken: processStartToken(process.pid),
        importedAt: null,
      });
    });
  }

  saveModel(runId: string, model: ModelResult): void {
    this.guard(() =>
      this.db
        .transaction(() => {
          if (!this.exists(runId)) throw notFound(runId, this.path);
          this.insertModel(runId, model);
        })
        .immediate(),
    );
  }

  finishRun(runId: string, finishedAt: string, interrupted: boolean): void {
    this.guard(() => {
      const info = this.db
        .prepare("UPDATE runs SET finished_at = ?, interrupted = ? WHERE run_id = ?")
        .run(finishedAt, interrupted ? 1 : 0, runId);
      if (info.changes === 0) throw notFound(runId, this.path);
    });
  }

  updateRun(results: RunResults): void {
    this.guard(() => {
      const info = this.db
        .prepare("UPDATE runs SET header_json = ?, hostname = ?, cpu_model = ?, started_at = ? WHERE run_id = ?")
        .run(
          headerJson(results),
          results.environment.hostname,
          results.environment.cpu.model,
          results.startedAt,
          results.runId,
        );
      if (info.changes === 0) throw notFound(results.runId, this.path);
    });
  }

  getRun(runIdOrPrefix: string): RunResults | null {
    return this.guard(() => {
      const row = this.findRun(runIdOrPrefix);
      if (!row) return null;
      const models = (
        this.db.prepare("SELECT result_json FROM models WHERE run_id = ? ORDER BY position").all(row.run_id) as {
          result_json: string;
        }[]
      ).map((m) => JSON.parse(m.result_json) as ModelResult);
      const header = JSON.parse(row.header_json) as RunResults;
      const status = this.statusOf(
        row,
        models.map((m) => m.status),
      );
      header.finishedAt = row.finished_at;
      // A run whose writer died never said so itself; it was stopped early all the same.
      header.interrupted = row.interrupted === 1 || status === "interrupted";
      header.models = models;
      return header;
    });
  }

  listRuns(filter: { model?: string } = {}): RunSummaryRow[] {
    return this.guard(() => {
      const model = filter.model;
      const runs = (
        model === undefined
          ? this.db.prepare("SELECT * FROM runs ORDER BY started_at DESC, run_id")
          : this.db.prepare(
              `SELECT * FROM runs WHERE run_id IN (SELECT run_id FROM models
                 WHERE instr(lower(label), lower(@m)) > 0 OR substr(file_fingerprint, 1, length(@m)) = @m)
               ORDER BY started_at DESC, run_id`,
            )
      ).all(model === undefined ? {} : { m: model }) as RunRow[];
      const byRun = new Map<string, { label: string; status: ModelResult["status"] }[]>();
      for (const m of this.db.prepare("SELECT run_id, label, status FROM models ORDER BY run_id, position").all() as {
        run_id: string;
        label: string;
        status: ModelResult["status"];
      }[]) {
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
          models: [...new Set(models.map((m) => m.label))],
          status: this.statusOf(
            row,
            models.map((m) => m.status),
          ),
        };
      });
    });
  }

  importRun(results: RunResults): "added" | "exists" {
    return this.guard(() =>
      this.db
        .transaction((): "added" | "exists" => {
          if (this.exists(results.runId)) return "exists";
          this.insertRun(results, {
            writerHost: null,
            writerPid: null,
            writerToken: null,
            importedAt: new Date().toISOString(),
          });
          for (const model of results.models) this.insertModel(results.runId, model);
          return "added";
        })
        .immediate(),
    );
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private exists(runId: string): boolean {
    return this.db.prepare("SELECT 1 FROM runs WHERE run_id = ?").get(runId) !== undefined;
  }

  private findRun(idOrPrefix: string): RunRow | null {
    if (idOrPrefix === "") return null;
    const exact = this.db.prepare("SELECT * FROM runs WHERE run_id = ?").get(idOrPrefix) as RunRow | undefined;
    if (exact) return exact;
    const matches = this.db
      .prepare("SELECT * FROM runs WHERE substr(run_id, 1, length(@p)) = @p ORDER BY started_at DESC LIMIT 4")
      .all({ p: idOrPrefix }) as RunRow[];
    if (matches.length > 1) {
      const some = matches.slice(0, 3).map((r) => r.run_id);
      throw new GgufBenchError(
        "run-id-ambiguous",
        `run id prefix "${idOrPrefix}" matches several runs (${some.join(", ")}${matches.length > 3 ? ", …" : ""}); give more characters`,
      );
    }
    return matches[0] ?? null;
  }

  private statusOf(row: RunRow, modelStatuses: ModelResult["status"][]): string {
    return runStatus({
      finishedAt: row.finished_at,
      interrupted: row.interrupted === 1,
      writerHost: row.writer_host,
      writerPid: row.writer_pid,
      writerToken: row.writer_token,
      modelStatuses,
    });
  }

  private insertRun(
    results: RunResults,
    writer: {
      writerHost: string | null;
      writerPid: number | null;
      writerToken: string | null;
      importedAt: string | null;
    },
  ): void {
    const header = headerJson(results);
    this.db
      .prepare(
        `INSERT INTO runs (run_id, started_at, finished_at, interrupted, hostname, cpu_model, results_schema_version,
           header_json, writer_host, writer_pid, writer_token, imported_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        results.runId,
        results.startedAt,
        results.finishedAt,
        results.interrupted ? 1 : 0,
        results.environment.hostname,
        results.environment.cpu.model,
        results.schemaVersion,
        header,
        writer.writerHost,
        writer.writerPid,
        writer.writerToken,
        writer.importedAt,
      );
  }

  private insertModel(runId: string, model: ModelResult): void {
    // Every call is a new case, appended in the order the cases finished.
    this.db
      .prepare(
        `INSERT INTO models (run_id, position, case_id, label, file_fingerprint, status, result_json, saved_at)
         VALUES (@runId, (SELECT coalesce(max(position) + 1, 0) FROM models WHERE run_id = @runId),
                 @caseId, @label, @fingerprint, @status, @json, @savedAt)`,
      )
      .run({
        runId,
        caseId: model.caseId,
        label: model.label,
        fingerprint: model.fileFingerprint,
        status: model.status,
        json: JSON.stringify(model),
        savedAt: new Date().toISOString(),
      });
  }
}

/** Models are stored one row each; the header keeps the key order of the original with an empty list. */
function headerJson(results: RunResults): string {
  return JSON.stringify({ ...results, models: [] });
}

function notFound(runId: string, path: string): GgufBenchError {
  return new GgufBenchError("run-not-found", `no run ${runId} in ${path}`);
}
