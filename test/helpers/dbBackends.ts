/**
 * The two history backends for tests that must pass on both: SQLite (a fresh file) and PostgreSQL (a fresh
 * database on the server whose superuser URL is in GGUF_BENCH_TEST_PG_URL; .ci/run starts one with
 * scripts/start-test-postgres.sh, and so can you). Without that variable the PostgreSQL tests skip, saying
 * how to run them — except under CI=true, where they fail: CI never skips the PostgreSQL half.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import pg from "pg";

export const PG_URL_ENV = "GGUF_BENCH_TEST_PG_URL";

export interface Backend {
  name: "sqlite" | "postgres";
  /** A `--db` value naming a new, empty history. */
  fresh(label: string): Promise<string>;
}

const sqliteDir = mkdtempSync(join(tmpdir(), "gguf-bench-db-"));
process.on("exit", () => rmSync(sqliteDir, { recursive: true, force: true }));

const sqlite: Backend = {
  name: "sqlite",
  fresh: async (label) => join(sqliteDir, `${label}-${randomBytes(4).toString("hex")}.db`),
};

const postgres: Backend = {
  name: "postgres",
  fresh: async (label) => {
    const admin = adminUrl();
    const name = `gb_${label
      .replace(/[^a-z0-9]+/gi, "_")
      .toLowerCase()
      .slice(0, 40)}_${randomBytes(4).toString("hex")}`;
    await adminQuery(admin, `CREATE DATABASE ${name}`);
    const url = new URL(admin);
    url.pathname = `/${name}`;
    return url.href;
  },
};

/** Why the PostgreSQL half cannot run here, or null when it can. */
export function postgresUnavailable(): string | null {
  if (process.env[PG_URL_ENV]) return null;
  return `no PostgreSQL test server (${PG_URL_ENV} unset): run scripts/start-test-postgres.sh start DIR and export ${PG_URL_ENV}=<the URL it prints>`;
}

/**
 * Registers `name` once per backend, as "name [sqlite]" and "name [postgres]". The PostgreSQL one skips
 * when no server is configured, and fails instead under CI.
 */
export function testBothStores(name: string, fn: (backend: Backend, t: test.TestContext) => Promise<void>): void {
  for (const backend of [sqlite, postgres]) {
    const title = `${name} [${backend.name}]`;
    const missing = backend.name === "postgres" ? postgresUnavailable() : null;
    if (missing && process.env.CI === "true") {
      test(title, () => {
        throw new Error(`CI must run the PostgreSQL half: ${missing}`);
      });
    } else if (missing) {
      test(title, { skip: missing }, () => undefined);
    } else {
      test(title, (t) => fn(backend, t));
    }
  }
}

export function adminUrl(): string {
  const url = process.env[PG_URL_ENV];
  if (!url) throw new Error(postgresUnavailable() ?? "");
  return url;
}

/** One statement as the server's superuser (test set-up and fault injection only). */
export async function adminQuery(url: string, sql: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end();
  }
}
