import { accessSync, constants, copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import Database from "better-sqlite3";
import { GgufBenchError } from "../errors.ts";
import { fsErrorText } from "../files/fsErrorText.ts";
import { makeFolderSync } from "../files/makeFolder.ts";
import type { SchemaHost, SchemaState } from "./prepareSchema.ts";
import type { SqlDatabase, SqlExecutor, SqlValue } from "./sqlDatabase.ts";
import { sqliteError } from "./sqliteError.ts";

/**
 * How long one statement waits for another process's lock before SQLITE_BUSY. better-sqlite3 waits
 * synchronously, stalling the event loop (the runner's memory sampling and timeouts), so this is short:
 * a single-model transaction takes milliseconds, and longer locks are waited out by retryTransient.ts
 * with back-off, asynchronously.
 */
const BUSY_TIMEOUT_MS = 250;

/**
 * Opens the SQLite file at `path`. "read" opens read-only and never creates anything: a missing file gives
 * null; a database in WAL mode on a read-only location (where SQLite cannot create its -shm file) is read
 * from a private copy. "write" creates directories and file as needed; WAL and the other settings are
 * applied only after the file is known to be ours (see `schemaHost`). A path that exists but is not a
 * regular file (/dev/null, a FIFO, a directory) is refused in both modes, before SQLite sees it.
 */
export function openSqliteDatabase(path: string, display: string, mode: "read" | "write"): SqliteDatabase | null {
  if (existsSync(path) && !statSync(path).isFile()) {
    throw new GgufBenchError("db-not-a-file", `${display} is not a regular file; pass --db with a database file`);
  }
  if (mode === "read" && !existsSync(path)) return null;
  try {
    if (mode === "write") makeFolderSync(dirname(path));
  } catch (error) {
    throw new GgufBenchError("db-open-failed", `cannot create the directory of ${display} (${fsErrorText(error)})`);
  }
  if (mode === "write") checkWritable(path, display);
  try {
    if (mode === "write") {
      const db = new Database(path);
      // SQLite falls back to read-only on a read-only file or disk; a writer wants to know now.
      if (db.readonly) {
        db.close();
        throw new GgufBenchError("db-open-failed", `cannot open ${display} for writing (read-only file or disk)`);
      }
      return new SqliteDatabase(db, display, false, null);
    }
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      db.pragma("user_version");
      return new SqliteDatabase(db, display, true, null);
    } catch (error) {
      db.close();
      // WAL needs its -shm file: where it cannot be made (a read-only disk, a folder or file this user may
      // not write), SQLite says CANTOPEN or READONLY; a private copy reads the same data.
      const code = (error as { code?: string }).code ?? "";
      if (code !== "SQLITE_CANTOPEN" && !code.startsWith("SQLITE_READONLY")) throw error;
      return readFromCopy(path, display);
    }
  } catch (error) {
    throw sqliteError(display, error, mode);
  }
}

/**
 * A writer needs the file and its folder (for the -wal and -shm files): SQLite only says "unable to open
 * database file", so ask the file system first for the true reason (EROFS, EACCES).
 */
function checkWritable(path: string, display: string): void {
  for (const target of existsSync(path) ? [path, dirname(path)] : [dirname(path)]) {
    try {
      accessSync(target, constants.W_OK);
    } catch (error) {
      throw new GgufBenchError("db-open-failed", `cannot write ${display}: ${fsErrorText(error)}`);
    }
  }
}

/** A WAL database in a read-only folder: SQLite needs to create its -shm file, so read a private copy. */
function readFromCopy(path: string, display: string): SqliteDatabase {
  const dir = mkdtempSync(join(tmpdir(), "gguf-bench-ro-"));
  const copy = join(dir, "results.db");
  copyFileSync(path, copy);
  if (existsSync(`${path}-wal`)) copyFileSync(`${path}-wal`, `${copy}-wal`);
  return new SqliteDatabase(new Database(copy, { readonly: false, fileMustExist: true }), display, true, dir);
}

export class SqliteDatabase implements SqlDatabase {
  readonly dialect = "sqlite";
  private readonly statements = new Map<string, Database.Statement>();
  /** Transactions span awaits: everything on this connection waits for the one in progress. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: Database.Database,
    readonly display: string,
    readonly readOnly: boolean,
    /** A private copy's folder, removed on close. */
    private readonly copyDir: string | null,
  ) {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  }

  all<T>(sql: string, params: SqlValue[] = []): Promise<T[]> {
    return this.serial(() => this.direct.all<T>(sql, params));
  }

  run(sql: string, params: SqlValue[] = []): Promise<number> {
    return this.serial(() => this.direct.run(sql, params));
  }

  exec(sql: string): Promise<void> {
    return this.serial(() => this.direct.exec(sql));
  }

  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.serial(async () => {
      this.guard(() => this.db.exec("BEGIN IMMEDIATE"));
      try {
        const result = await fn(this.direct);
        this.guard(() => this.db.exec("COMMIT"));
        return result;
      } catch (error) {
        if (this.db.inTransaction) this.db.exec("ROLLBACK");
        throw error;
      }
    });
  }

  /** Settings for a file known to be ours: WAL for many processes at once, then durability and keys. */
  configureForWriting(): void {
    this.guard(() => {
      this.db.pragma("journal_mode = WAL");
      // In WAL mode NORMAL loses nothing when the process is killed, only on power loss, and is much faster.
      this.db.pragma("synchronous = NORMAL");
      this.db.pragma("foreign_keys = ON");
    });
  }

  schemaHost(): SchemaHost {
    return {
      db: this,
      otherHint: "pass --db with another file",
      inspect: async (): Promise<SchemaState> => {
        const version = this.guard(() => this.db.pragma("user_version", { simple: true }) as number);
        if (version > 0) return { kind: "ours", version };
        const [row] = await this.all<{ n: number }>("SELECT count(*) AS n FROM sqlite_master");
        return (row?.n ?? 0) > 0
          ? { kind: "foreign", what: "an SQLite database but not a gguf-bench one" }
          : { kind: "none" };
      },
      lockVersion: async () => this.guard(() => this.db.pragma("user_version", { simple: true }) as number),
      setVersion: async (_tx, version) => {
        this.guard(() => this.db.pragma(`user_version = ${Math.trunc(version)}`));
      },
    };
  }

  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
    if (this.db.open) this.db.close();
    if (this.copyDir) rmSync(this.copyDir, { recursive: true, force: true });
  }

  /** Statements on this connection without queueing: used inside a transaction. */
  private readonly direct: SqlExecutor = {
    all: async <T>(sql: string, params: SqlValue[] = []) => this.guard(() => this.prepare(sql).all(...params) as T[]),
    run: async (sql: string, params: SqlValue[] = []) => this.guard(() => this.prepare(sql).run(...params).changes),
    exec: async (sql: string) => {
      this.guard(() => this.db.exec(sql));
    },
  };

  private prepare(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      throw sqliteError(this.display, error, this.readOnly ? "read" : "write");
    }
  }
}
