/**
 * The little the store needs from a database driver, so one set of queries serves SQLite and PostgreSQL.
 * Queries use `?` placeholders (the PostgreSQL driver numbers them); values are strings, numbers or null.
 * Every method rejects with a one-line GgufBenchError (see sqliteError.ts, postgresError.ts).
 */
export interface SqlExecutor {
  all<T>(sql: string, params?: SqlValue[]): Promise<T[]>;
  /** Runs a statement; resolves to the number of rows it changed. */
  run(sql: string, params?: SqlValue[]): Promise<number>;
  /** Runs several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export type SqlValue = string | number | null;

export interface SqlDatabase extends SqlExecutor {
  readonly dialect: "sqlite" | "postgres";
  /** How messages name the database: the path, or the URL without its password. */
  readonly display: string;
  readonly readOnly: boolean;
  /**
   * Runs `fn` in one transaction that holds the write lock from its start (SQLite BEGIN IMMEDIATE; on
   * PostgreSQL, rows are locked as written), committed when `fn` resolves and rolled back when it throws.
   */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
