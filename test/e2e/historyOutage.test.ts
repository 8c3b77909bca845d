/**
 * A shared PostgreSQL history that fails under a real `gguf-bench run`: the server stopped mid-run, a wrong
 * password, a database of a newer schema. The test starts its own throwaway server (it stops it on purpose),
 * with scripts/start-test-postgres.sh, so it needs Debian's `postgresql` package: without it the test skips,
 * saying so, except under CI where it fails.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { RunResults } from "../../src/results/types.ts";
import { openExistingStore } from "../../src/store/resultStore.ts";
import { adminQuery } from "../helpers/dbBackends.ts";
import { tinyModel } from "../helpers/tinyModel.ts";
import { runCli, SMALL_RUN } from "./helpers.ts";

const script = fileURLToPath(new URL("../../scripts/start-test-postgres.sh", import.meta.url));
const haveServer = ["15", "16", "17", "14", "13"].some((v) => existsSync(`/usr/lib/postgresql/${v}/bin/pg_ctl`));
const exec = promisify(execFile);
const RUN_FLAGS = [...SMALL_RUN.filter((f) => f !== "--no-db"), "--runs", "1", "--contexts", "256"];

test("PostgreSQL stopped mid-run: results.json complete, missing models listed, import fills them", async (t) => {
  if (!haveServer) {
    if (process.env.CI === "true") assert.fail("CI must run this test: apt-get install -y postgresql");
    return t.skip("no PostgreSQL server binaries (apt-get install -y postgresql)");
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), "gguf-bench-outage-"));
  // Its own folder under /tmp: the server runs as the postgres user, who cannot enter the test's folder.
  const pgDir = await mkdtemp(path.join(os.tmpdir(), "gguf-bench-outage-pg-"));
  const start = async (port?: string) => (await exec(script, ["start", pgDir, ...(port ? [port] : [])])).stdout.trim();
  t.after(async () => {
    await exec(script, ["stop", pgDir]).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
    await rm(pgDir, { recursive: true, force: true });
  });
  const admin = new URL(await start());
  const password = decodeURIComponent(admin.password);
  await adminQuery(admin.href, "CREATE DATABASE outage");
  const db = new URL(admin.href);
  db.pathname = "/outage";
  const shown = db.href.replace(`:${admin.password}@`, ":***@");

  const models = ["a.gguf", "b.gguf", "c.gguf"].map((name) => path.join(dir, name));
  for (const model of models) await tinyModel(dir, path.basename(model));
  const out = path.join(dir, "results");
  // The server goes away while b.gguf runs, after a.gguf was stored.
  let stopped: Promise<unknown> | null = null;
  const run = await runCli(
    ["run", ...models, ...RUN_FLAGS, "--db", db.href, "--out", out],
    {
      GGUF_BENCH_DB_WAIT: "1",
    },
    (stderr) => {
      if (!stopped && /load · b\.gguf/.test(stderr)) stopped = exec(script, ["stop", pgDir]);
    },
  );
  assert.ok(stopped, run.stderr);
  await stopped;
  const results = JSON.parse(await readFile(path.join(out, "results.json"), "utf8")) as RunResults;
  assert.deepEqual(
    results.models.map((m) => [m.label, m.status]),
    [
      ["a.gguf", "ok"],
      ["b.gguf", "ok"],
      ["c.gguf", "ok"],
    ],
  );
  assert.ok(results.finishedAt);
  const importHint = `gguf-bench import ${path.join(out, "results.json")} --db ${shown}`;
  assert.match(run.stderr, /2 model result\(s\) not stored \(b\.gguf, c\.gguf\): cannot connect to PostgreSQL/);
  assert.ok(run.stderr.includes(importHint), run.stderr);
  assert.ok(!run.stderr.includes(password), "the password is never printed");
  assert.equal(run.stderr.split("\n").filter((l) => l.includes("not stored")).length, 1, "one line");

  // Back up: import completes the run, which then reads back exactly as results.json.
  await start(admin.port);
  const imported = await runCli(["import", path.join(out, "results.json"), "--db", db.href]);
  assert.equal(imported.code, 0, imported.stderr);
  assert.equal(
    imported.stdout,
    `completed run ${results.runId.slice(0, 8)} from ${path.join(out, "results.json")}: 2 model result(s) added, 3 in all\n`,
  );
  const store = await openExistingStore(db.href);
  try {
    assert.deepEqual(await store?.getRun(results.runId), results);
    assert.equal((await store?.listRuns())?.[0]?.status, "ok");
  } finally {
    await store?.close();
  }

  // A wrong password: one line, the run still complete in results.json, every model listed.
  const wrong = new URL(db.href);
  wrong.password = "not-the-password";
  const out2 = path.join(dir, "results-2");
  const refused = await runCli(["run", models[0] as string, ...RUN_FLAGS, "--db", wrong.href, "--out", out2]);
  const results2 = JSON.parse(await readFile(path.join(out2, "results.json"), "utf8")) as RunResults;
  assert.deepEqual(
    results2.models.map((m) => m.status),
    ["ok"],
  );
  assert.match(
    refused.stderr,
    /gguf-bench: history database postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/outage: 1 model result\(s\) not stored \(a\.gguf\): PostgreSQL at .* refused the credentials \(password authentication failed for user "postgres"\)/,
  );
  assert.ok(!refused.stderr.includes("not-the-password"));

  // A database of a newer schema: read commands say so in one line, exit 1.
  await adminQuery(db.href, "UPDATE gguf_bench.schema_version SET version = 99");
  const newer = await runCli(["history", "--db", db.href]);
  assert.equal(newer.code, 1);
  assert.equal(
    newer.stderr,
    `gguf-bench: ${shown} was written by a newer gguf-bench (database schema 99, this build knows up to 4); upgrade gguf-bench or pass --db with another database\n`,
  );
});
