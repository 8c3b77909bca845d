import { machineIdentity } from "./machineIdentity.ts";
import type { SqlExecutor } from "./sqlDatabase.ts";
import { upsertMachine } from "./upsertMachine.ts";

/**
 * The database schema as numbered migrations, the same numbers on SQLite and PostgreSQL: migration i
 * (1-based) brings the schema version from i − 1 to i (SQLite keeps it in `PRAGMA user_version`,
 * PostgreSQL in `gguf_bench.schema_version`). Each has its SQL per dialect where the two differ, and may
 * have a data step run in the same transaction. Never edit a released migration; append a new one. A
 * database whose version is above MIGRATIONS.length was written by a newer gguf-bench and is refused.
 */
export interface Migration {
  sqlite: string;
  postgres: string;
  /** Data the SQL cannot compute (e.g. hashes), filled in the same transaction. */
  after?: (tx: SqlExecutor) => Promise<void>;
}

const same = (sql: string): Migration => ({ sqlite: sql, postgres: sql });

export const MIGRATIONS: readonly Migration[] = [
  // 1: runs (header = RunResults without models, as JSON) and one row per finished model × settings case.
  same(`
  CREATE TABLE runs (
    run_id TEXT PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    interrupted INTEGER NOT NULL DEFAULT 0,
    hostname TEXT NOT NULL,
    cpu_model TEXT NOT NULL,
    results_schema_version INTEGER NOT NULL,
    header_json TEXT NOT NULL,
    -- Who is writing the run, so a run whose writer died can be told from one still running.
    writer_host TEXT,
    writer_pid INTEGER,
    imported_at TEXT
  );
  CREATE INDEX runs_started_at ON runs (started_at);
  CREATE TABLE models (
    run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    case_id TEXT NOT NULL,
    label TEXT NOT NULL,
    file_fingerprint TEXT NOT NULL,
    status TEXT NOT NULL,
    result_json TEXT NOT NULL,
    saved_at TEXT NOT NULL,
    PRIMARY KEY (run_id, position),
    UNIQUE (run_id, case_id)
  );
  CREATE INDEX models_label ON models (label);
  CREATE INDEX models_fingerprint ON models (file_fingerprint);
  `),
  // 2: case ids are not unique within a run (two files with the same base name both give "model.gguf#1"),
  // so a second case must never replace the first: drop UNIQUE (run_id, case_id), keep an index for lookups.
  {
    sqlite: `
  CREATE TABLE models_v2 (
    run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    case_id TEXT NOT NULL,
    label TEXT NOT NULL,
    file_fingerprint TEXT NOT NULL,
    status TEXT NOT NULL,
    result_json TEXT NOT NULL,
    saved_at TEXT NOT NULL,
    PRIMARY KEY (run_id, position)
  );
  INSERT INTO models_v2 (run_id, position, case_id, label, file_fingerprint, status, result_json, saved_at)
    SELECT run_id, position, case_id, label, file_fingerprint, status, result_json, saved_at FROM models;
  DROP TABLE models;
  ALTER TABLE models_v2 RENAME TO models;
  CREATE INDEX models_label ON models (label);
  CREATE INDEX models_fingerprint ON models (file_fingerprint);
  CREATE INDEX models_case ON models (run_id, case_id);
  `,
    postgres: `
  ALTER TABLE models DROP CONSTRAINT models_run_id_case_id_key;
  CREATE INDEX models_case ON models (run_id, case_id);
  `,
  },
  // 3: the writer's start token, so a dead writer whose PID was reused is not mistaken for a live one.
  same("ALTER TABLE runs ADD COLUMN writer_token TEXT;"),
  // 4: machines, identified by a fingerprint of their environment (machineIdentity.ts), for shared histories.
  {
    ...same(`
  CREATE TABLE machines (
    machine_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    hostname TEXT NOT NULL,
    cpu_model TEXT NOT NULL,
    description_json TEXT NOT NULL,
    first_seen_at TEXT NOT NULL
  );
  CREATE INDEX machines_name ON machines (name);
  ALTER TABLE runs ADD COLUMN machine_id TEXT REFERENCES machines (machine_id);
  CREATE INDEX runs_machine ON runs (machine_id);
  `),
    after: async (tx) => {
      const rows = await tx.all<{ run_id: string; header_json: string; started_at: string }>(
        "SELECT run_id, header_json, started_at FROM runs WHERE machine_id IS NULL",
      );
      for (const row of rows) {
        const machine = machineIdentity(parseEnvironment(row.header_json));
        await upsertMachine(tx, machine, row.started_at);
        await tx.run("UPDATE runs SET machine_id = ? WHERE run_id = ?", [machine.id, row.run_id]);
      }
    },
  },
];

/** A row written by an older build might hold anything: an unreadable header still gets a machine. */
function parseEnvironment(headerJson: string): unknown {
  try {
    return (JSON.parse(headerJson) as { environment?: unknown }).environment;
  } catch {
    return undefined;
  }
}
