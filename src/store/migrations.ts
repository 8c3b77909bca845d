/**
 * The database schema as numbered migrations: migration i (1-based) brings `PRAGMA user_version` from i − 1
 * to i. Never edit a released migration; append a new one. A database whose user_version is above
 * MIGRATIONS.length was written by a newer gguf-bench and is refused rather than misread.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: runs (header = RunResults without models, as JSON) and one row per finished model × settings case.
  `
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
  `,
  // 2: case ids are not unique within a run (two files with the same base name both give "model.gguf#1"),
  // so a second case must never replace the first: drop UNIQUE (run_id, case_id), keep an index for lookups.
  `
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
  // 3: the writer's start token, so a dead writer whose PID was reused is not mistaken for a live one.
  "ALTER TABLE runs ADD COLUMN writer_token TEXT;",
];
