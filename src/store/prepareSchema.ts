import { GgufBenchError } from "../errors.ts";
import { MIGRATIONS } from "./migrations.ts";
import type { SqlDatabase, SqlExecutor } from "./sqlDatabase.ts";

/** What a database holds before we touch it. */
export type SchemaState =
  | { kind: "none" }
  | { kind: "ours"; version: number }
  /** `what` completes "… is …", e.g. "an SQLite database but not a gguf-bench one". */
  | { kind: "foreign"; what: string };

/** The dialect-specific part of schema bookkeeping, supplied by each driver. */
export interface SchemaHost {
  readonly db: SqlDatabase;
  /** Reads the state without writing anything (a foreign database must stay untouched). */
  inspect(): Promise<SchemaState>;
  /** First thing in the migration transaction: serialise migrators, create the bookkeeping, read the version. */
  lockVersion(tx: SqlExecutor): Promise<number>;
  setVersion(tx: SqlExecutor, version: number): Promise<void>;
  /** The advice at the end of a "not ours" error. */
  readonly otherHint: string;
}

/** Schema version before and after opening; `before` null when there was no gguf-bench schema yet. */
export interface SchemaChange {
  before: number | null;
  after: number | null;
}

export const KNOWN_SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Checks that the database is ours and current. "read" never writes: no schema yet gives `after: null`
 * (an empty history), an older schema is an error that says to run `gguf-bench db migrate`. "write"
 * creates or migrates, in one transaction, and only once the database is known to be ours (or empty).
 */
export async function prepareSchema(host: SchemaHost, mode: "read" | "write"): Promise<SchemaChange> {
  const { db } = host;
  const state = await host.inspect();
  if (state.kind === "foreign") {
    throw new GgufBenchError("db-foreign", `${db.display} is ${state.what}; ${host.otherHint}`);
  }
  const before = state.kind === "ours" ? state.version : null;
  if (before !== null) refuseNewer(db, before, host.otherHint);
  if (before === KNOWN_SCHEMA_VERSION) return { before, after: before };
  if (mode === "read") {
    if (before === null) return { before, after: null };
    throw new GgufBenchError(
      "db-outdated",
      `${db.display} has database schema ${before}, this build needs ${KNOWN_SCHEMA_VERSION}; upgrade it with: gguf-bench db migrate --db ${db.display}`,
    );
  }
  await db.transaction(async (tx) => {
    const version = await host.lockVersion(tx);
    refuseNewer(db, version, host.otherHint);
    for (let v = version; v < KNOWN_SCHEMA_VERSION; v++) {
      const migration = MIGRATIONS[v];
      if (!migration) break;
      await tx.exec(migration[db.dialect]);
      await migration.after?.(tx);
    }
    if (version < KNOWN_SCHEMA_VERSION) await host.setVersion(tx, KNOWN_SCHEMA_VERSION);
  });
  return { before, after: KNOWN_SCHEMA_VERSION };
}

function refuseNewer(db: SqlDatabase, version: number, hint: string): void {
  if (version <= KNOWN_SCHEMA_VERSION) return;
  throw new GgufBenchError(
    "db-too-new",
    `${db.display} was written by a newer gguf-bench (database schema ${version}, this build knows up to ${KNOWN_SCHEMA_VERSION}); upgrade gguf-bench or ${hint}`,
  );
}
