import type { DbLocation } from "./dbLocation.ts";
import type { SchemaHost } from "./prepareSchema.ts";
import type { SqlDatabase } from "./sqlDatabase.ts";
import { openSqliteDatabase } from "./sqliteDatabase.ts";

export interface OpenedDatabase {
  db: SqlDatabase;
  host: SchemaHost;
  /** Applies the settings a writer needs, once the database is known to be ours (SQLite: WAL). */
  ready(): void;
}

/**
 * Connects to the database a location names, in read or write mode, without changing it yet (see
 * prepareSchema). Null in read mode when there is nothing there (no SQLite file). The PostgreSQL driver is
 * loaded only when a postgres:// URL is used.
 */
export async function openSqlDatabase(location: DbLocation, mode: "read" | "write"): Promise<OpenedDatabase | null> {
  if (location.kind === "sqlite") {
    const db = openSqliteDatabase(location.path, location.display, mode);
    if (!db) return null;
    return { db, host: db.schemaHost(), ready: () => (mode === "write" ? db.configureForWriting() : undefined) };
  }
  const { openPostgresDatabase } = await import("./postgresDatabase.ts");
  const db = await openPostgresDatabase(location.url, location.display, mode);
  return { db, host: db.schemaHost(), ready: () => undefined };
}
