import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { GgufBenchError } from "../errors.ts";
import { MIGRATIONS } from "./migrations.ts";
import { sqliteError } from "./sqliteError.ts";

/** Long enough for another process's single-model transaction (milliseconds) many times over. */
const BUSY_TIMEOUT_MS = 15_000;

/**
 * Opens (creating directories, file and schema as needed) the database at `path`, configured for several
 * processes at once: WAL, a busy timeout, foreign keys. Failures are one-line GgufBenchErrors.
 */
export function openDatabase(path: string): Database.Database {
  let db: Database.Database | undefined;
  try {
    mkdirSync(dirname(path), { recursive: true });
    db = new Database(path);
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma("journal_mode = WAL");
    migrate(db, path);
    // In WAL mode NORMAL loses nothing when the process is killed, only on power loss, and is much faster.
    db.pragma("synchronous = NORMAL");
    db.pragma("foreign_keys = ON");
    return db;
  } catch (error) {
    db?.close();
    if (error instanceof Error && "code" in error && (error as NodeJS.ErrnoException).syscall === "mkdir") {
      throw new GgufBenchError("db-open-failed", `cannot create the directory of ${path} (${error.message})`);
    }
    throw sqliteError(path, error);
  }
}

function migrate(db: Database.Database, path: string): void {
  const known = MIGRATIONS.length;
  const current = db.pragma("user_version", { simple: true }) as number;
  if (current > known) {
    throw new GgufBenchError(
      "db-too-new",
      `${path} was written by a newer gguf-bench (database schema ${current}, this build knows up to ${known}); upgrade gguf-bench or pass --db with another file`,
    );
  }
  if (current === known) return;
  // IMMEDIATE takes the write lock first, so two processes opening a new file migrate it once.
  db.transaction(() => {
    const version = db.pragma("user_version", { simple: true }) as number;
    if (version === 0) {
      const tables = db.prepare("SELECT count(*) AS n FROM sqlite_master").get() as { n: number };
      if (tables.n > 0) {
        throw new GgufBenchError(
          "db-foreign",
          `${path} is an SQLite database but not a gguf-bench one; pass --db with another file`,
        );
      }
    }
    for (let v = version; v < known; v++) db.exec(MIGRATIONS[v] as string);
    db.pragma(`user_version = ${known}`);
  }).immediate();
}
