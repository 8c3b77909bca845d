import pg from "pg";
import { postgresError } from "./postgresError.ts";
import type { SchemaHost, SchemaState } from "./prepareSchema.ts";
import type { SqlDatabase, SqlExecutor, SqlValue } from "./sqlDatabase.ts";

/** gguf-bench keeps its tables in a schema of their own, so it can share a database with anything else. */
const SCHEMA = "gguf_bench";
/** pg_advisory_xact_lock key that serialises migrations across machines ("ggbf"). */
const MIGRATION_LOCK_KEY = 0x67676266;
/** Connections per process: a writer needs one; `serve` answers a few pages at once. */
const POOL_SIZE = 4;
/** An unreachable host fails within this, instead of the operating system's minutes-long TCP timeout. */
const CONNECT_TIMEOUT_MS = 10_000;
/** A statement that runs this long is stuck behind something: fail it rather than hang the run. */
const STATEMENT_TIMEOUT_MS = 60_000;

/**
 * Connects a pool to the PostgreSQL database at `url` and checks the connection (so a wrong host or
 * password fails here, in one line). Tables are found through search_path = gguf_bench; "read" sessions are
 * read-only on the server too (default_transaction_read_only), so a read command cannot change anything.
 */
export async function openPostgresDatabase(
  url: string,
  display: string,
  mode: "read" | "write",
): Promise<PostgresDatabase> {
  // Session settings travel in the startup packet (libpq's `options`), merged with any the URL carries.
  const parsed = new URL(url);
  const userOptions = parsed.searchParams.get("options") ?? "";
  parsed.searchParams.delete("options");
  const settings = [`-c search_path=${SCHEMA}`, mode === "read" ? "-c default_transaction_read_only=on" : ""];
  const pool = new pg.Pool({
    connectionString: parsed.href,
    options: [userOptions, ...settings].filter((o) => o !== "").join(" "),
    max: POOL_SIZE,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: 10_000,
    keepAlive: true,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    application_name: "gguf-bench",
  });
  // An idle connection the server dropped (restart, shutdown): the pool discards it, the next query reconnects.
  pool.on("error", () => undefined);
  pool.on("connect", (client) => {
    // A connection dropped while checked out: the query in flight fails; nothing else must throw.
    client.on("error", () => undefined);
  });
  const db = new PostgresDatabase(pool, display, mode === "read");
  try {
    await db.all("SELECT 1 AS one");
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}

export class PostgresDatabase implements SqlDatabase {
  readonly dialect = "postgres";
  private closed = false;

  constructor(
    private readonly pool: pg.Pool,
    readonly display: string,
    readonly readOnly: boolean,
  ) {}

  all<T>(sql: string, params: SqlValue[] = []): Promise<T[]> {
    return this.guard(async () => (await this.pool.query(numbered(sql), params)).rows as T[]);
  }

  run(sql: string, params: SqlValue[] = []): Promise<number> {
    return this.guard(async () => (await this.pool.query(numbered(sql), params)).rowCount ?? 0);
  }

  exec(sql: string): Promise<void> {
    return this.guard(async () => {
      await this.pool.query(sql);
    });
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await this.guard(() => this.pool.connect());
    let failed = false;
    try {
      await this.guard(() => client.query("BEGIN"));
      const result = await fn(this.executorOf(client));
      await this.guard(() => client.query("COMMIT"));
      return result;
    } catch (error) {
      failed = true;
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      // After a failure the connection may be broken: never hand it to the next caller.
      client.release(failed);
    }
  }

  schemaHost(): SchemaHost {
    return {
      db: this,
      otherHint: "pass --db with another database",
      inspect: async (): Promise<SchemaState> => {
        const [row] = await this.all<{ has_schema: boolean; has_version: boolean; tables: number }>(
          `SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = ?) AS has_schema,
                  to_regclass(?) IS NOT NULL AS has_version,
                  (SELECT count(*)::int FROM pg_tables WHERE schemaname = ?) AS tables`,
          [SCHEMA, `${SCHEMA}.schema_version`, SCHEMA],
        );
        if (!row?.has_schema) return { kind: "none" };
        if (!row.has_version) {
          return row.tables > 0
            ? { kind: "foreign", what: `a database whose schema ${SCHEMA} holds tables not made by gguf-bench` }
            : { kind: "none" };
        }
        const version = await this.currentVersion(this);
        return version === 0 && row.tables <= 1 ? { kind: "none" } : { kind: "ours", version };
      },
      lockVersion: async (tx) => {
        await tx.all("SELECT pg_advisory_xact_lock(?) AS locked", [MIGRATION_LOCK_KEY]);
        await tx.exec(
          `CREATE SCHEMA IF NOT EXISTS ${SCHEMA}; CREATE TABLE IF NOT EXISTS ${SCHEMA}.schema_version (version INTEGER NOT NULL)`,
        );
        return this.currentVersion(tx);
      },
      setVersion: async (tx, version) => {
        await tx.run("DELETE FROM schema_version");
        await tx.run("INSERT INTO schema_version (version) VALUES (?)", [version]);
      },
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end().catch(() => undefined);
  }

  private async currentVersion(on: SqlExecutor): Promise<number> {
    const [row] = await on.all<{ version: number | null }>(
      `SELECT max(version) AS version FROM ${SCHEMA}.schema_version`,
    );
    return row?.version ?? 0;
  }

  private executorOf(client: pg.PoolClient): SqlExecutor {
    return {
      all: <T>(sql: string, params: SqlValue[] = []) =>
        this.guard(async () => (await client.query(numbered(sql), params)).rows as T[]),
      run: (sql: string, params: SqlValue[] = []) =>
        this.guard(async () => (await client.query(numbered(sql), params)).rowCount ?? 0),
      exec: (sql: string) =>
        this.guard(async () => {
          await client.query(sql);
        }),
    };
  }

  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw postgresError(this.display, error);
    }
  }
}

/** The store's `?` placeholders as PostgreSQL's `$1, $2, …` (its queries have no `?` inside literals). */
export function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}
