/**
 * The run's history writer against a real lock held by another process (issue 9 item 4): it waits with
 * back-off, lists what was not stored, catches up in order once the lock is gone, and `import` completes a
 * run whose lock never went away.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { resolveDbLocation } from "../../src/store/dbLocation.ts";
import { HistoryWriter } from "../../src/store/historyWriter.ts";
import { openStore } from "../../src/store/resultStore.ts";
import { buildRun } from "../helpers/resultsBuilder.ts";
import { lockHolder } from "../helpers/sqliteLockHolder.ts";

const repo = fileURLToPath(new URL("../..", import.meta.url));
const childScript = fileURLToPath(new URL("./historyWriterChild.ts", import.meta.url));
let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "gguf-bench-history-writer-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const run = buildRun({ finishedAt: null, models: [{ label: "a.gguf" }, { label: "b.gguf" }, { label: "c.gguf" }] });
const [a, b, c] = run.models as [(typeof run.models)[0], (typeof run.models)[0], (typeof run.models)[0]];

test("a lock held for a while: the model is listed as waiting, then everything is stored in order", async () => {
  const path = join(dir, "catch-up.db");
  const writer = new HistoryWriter(resolveDbLocation(path), 600);
  await writer.begin(run);
  await writer.model(run.runId, a);
  const lock = await lockHolder(path);
  const started = Date.now();
  await writer.model(run.runId, b);
  assert.ok(Date.now() - started >= 500, "it waited before giving up on this step");
  assert.deepEqual(writer.notStored()?.models, ["b.gguf"]);
  assert.match(writer.notStored()?.reason ?? "", /stayed locked by another process .*gave up after waiting/);
  await lock.release();
  await writer.model(run.runId, c);
  await writer.finish(run.runId, "2026-11-26T07:00:00.000Z", false);
  assert.equal(writer.notStored(), null);
  const store = await openStore(path);
  try {
    const stored = await store.getRun(run.runId);
    assert.deepEqual(
      stored?.models.map((m) => m.label),
      ["a.gguf", "b.gguf", "c.gguf"],
    );
    assert.equal((await store.listRuns())[0]?.status, "ok");
  } finally {
    await store.close();
  }
});

test("a lock held past the end: not-stored models listed; import of results.json completes the run", async () => {
  const path = join(dir, "never.db");
  const child = spawn(process.execPath, ["--import", "tsx", childScript, path, "300", JSON.stringify(run)], {
    cwd: repo,
    stdio: ["pipe", "pipe", "inherit"],
  });
  let out = "";
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  await new Promise<void>((resolve) => {
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("first")) resolve();
    });
  });
  const lock = await lockHolder(path);
  child.stdin?.end("go\n");
  assert.equal(await exited, 0);
  await lock.release();
  const missing = JSON.parse(out.match(/notStored (.*)/)?.[1] ?? "null");
  assert.deepEqual(missing?.models, ["b.gguf", "c.gguf"]);
  assert.equal(missing?.runRecord, true, "the end of the run is missing too");
  const store = await openStore(path);
  try {
    assert.equal((await store.listRuns())[0]?.status, "interrupted", "its writer is gone, the run unfinished");
    const complete = { ...run, finishedAt: "2026-11-26T07:00:00.000Z" };
    assert.deepEqual(await store.importRun(complete), { kind: "completed", added: 2 });
    assert.deepEqual(await store.getRun(run.runId), complete);
    assert.equal((await store.listRuns())[0]?.status, "ok");
    assert.deepEqual(await store.importRun(complete), { kind: "exists" });
  } finally {
    await store.close();
  }
});

test("a permanent failure (not a gguf-bench database) stops trying and lists every model", async () => {
  const writer = new HistoryWriter(resolveDbLocation("/dev/null"), 300);
  await writer.begin(run);
  for (const model of run.models) await writer.model(run.runId, model);
  await writer.finish(run.runId, "2026-11-26T07:00:00.000Z", false);
  const missing = writer.notStored();
  assert.deepEqual(missing?.models, ["a.gguf", "b.gguf", "c.gguf"]);
  assert.equal(missing?.reason, "/dev/null is not a regular file; pass --db with a database file");
});
