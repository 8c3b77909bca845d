/**
 * The run's result sink against a history database another process keeps locked (a real SQLite lock held by a
 * real process): after one wait the database is not tried again this run, while results.json holds everything;
 * when results.json stops taking results, the database is tried again so nothing is lost.
 */
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { RunResults } from "../../src/results/types.ts";
import { resolveDbLocation } from "../../src/store/dbLocation.ts";
import { DB_WAIT_ENV } from "../../src/store/historyWriter.ts";
import { openStore } from "../../src/store/resultStore.ts";
import { resultSink } from "../../src/suite/resultSink.ts";
import { buildRun } from "../helpers/resultsBuilder.ts";
import { lockHolder } from "../helpers/sqliteLockHolder.ts";

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "gguf-bench-result-sink-"));
  process.env[DB_WAIT_ENV] = "0.3";
});
after(async () => {
  delete process.env[DB_WAIT_ENV];
  await rm(dir, { recursive: true, force: true });
});

const run = buildRun({ finishedAt: null, models: [{ label: "a.gguf" }, { label: "b.gguf" }, { label: "c.gguf" }] });
/** The run as it stands after its first `n` models. */
const upTo = (n: number): RunResults => ({ ...run, models: run.models.slice(0, n) });

/**
 * A run into `<name>-run/` whose history `<name>.db` (a gguf-bench database that existed before, as on a
 * machine that ran before) another process locks before the run begins; the sink has begun and saved model a.
 */
async function lockedRun(name: string) {
  const db = join(dir, `${name}.db`);
  await (await openStore(db)).close();
  const out = join(dir, `${name}-run`);
  await mkdir(out);
  const lock = await lockHolder(db);
  const sink = resultSink(out, resolveDbLocation(db));
  await sink.begin(upTo(0));
  await sink.model(upTo(1), model(0));
  return { db, out, lock, sink };
}

const model = (i: number) => run.models[i] as RunResults["models"][0];

test("a database locked for the whole run: one wait, then not tried again; results.json holds all; one line says how to import", async () => {
  const { db, out, lock, sink } = await lockedRun("locked");
  await sink.model(upTo(2), model(1));
  // The lock goes away: a sink still trying would now store everything. It must not try again this run.
  await lock.release();
  await sink.model(upTo(3), model(2));
  await sink.finish({ ...run, finishedAt: "2026-11-26T07:00:00.000Z" });

  const file = join(out, "results.json");
  const saved = JSON.parse(await readFile(file, "utf8")) as RunResults;
  assert.deepEqual(
    saved.models.map((m) => m.label),
    ["a.gguf", "b.gguf", "c.gguf"],
  );
  assert.equal(sink.problems.length, 1, sink.problems.join("\n"));
  assert.match(
    sink.problems[0] ?? "",
    /^history database .*locked\.db: 3 model result\(s\) not stored \(a\.gguf, b\.gguf, c\.gguf\): .*stayed locked by another process .*gave up after waiting .*; not tried again this run after that wait; all 3 result\(s\) are in /,
  );
  assert.ok(sink.problems[0]?.endsWith(`: store them later with: gguf-bench import ${file} --db ${db}`));
  const store = await openStore(db);
  try {
    assert.equal(await store.getRun(run.runId), null, "nothing was written after the first wait ran out");
    assert.deepEqual(await store.importRun(saved), { kind: "added" });
    assert.deepEqual(await store.getRun(run.runId), saved);
  } finally {
    await store.close();
  }
});

test("held back, then results.json cannot be written: the database is tried again and gets every result", async () => {
  const { db, out, lock, sink } = await lockedRun("resumed");
  await lock.release();
  // The output folder goes away (a real ENOENT on every later write): results.json no longer keeps results.
  await rm(out, { recursive: true });
  await sink.model(upTo(2), model(1));
  await sink.model(upTo(3), model(2));
  const finished = { ...run, finishedAt: "2026-11-26T07:00:00.000Z" };
  await sink.finish(finished);

  assert.equal(sink.problems.length, 1, sink.problems.join("\n"));
  assert.match(sink.problems[0] ?? "", /results\.json holds 1 of 3 result\(s\): its latest write failed/);
  const store = await openStore(db);
  try {
    assert.deepEqual(await store.getRun(run.runId), finished);
  } finally {
    await store.close();
  }
});
