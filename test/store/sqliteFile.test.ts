/** What only an SQLite file can do: be corrupt, belong to another program, sit on a read-only disk, … */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmod, copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import Database from "better-sqlite3";
import { GgufBenchError } from "../../src/errors.ts";
import { defaultDbPath, resolveDbLocation } from "../../src/store/dbLocation.ts";
import { openExistingStore, openStore } from "../../src/store/resultStore.ts";
import { buildRun } from "../helpers/resultsBuilder.ts";
import { spawnCli } from "../helpers/spawnCli.ts";

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "gguf-bench-sqlite-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sha = async (path: string) =>
  createHash("sha256")
    .update(await readFile(path))
    .digest("hex");
const oneLine = (code: string) => (error: unknown) => {
  assert.ok(error instanceof GgufBenchError, String(error));
  assert.equal(error.code, code);
  assert.ok(!error.message.includes("\n"));
  return true;
};

test("a file that is not a database is a one-line db-corrupt error, read or write", async () => {
  const path = join(dir, "corrupt.db");
  await writeFile(path, "this is not an SQLite file at all, just some text that is long enough ".repeat(20));
  const before = await sha(path);
  await assert.rejects(openStore(path), oneLine("db-corrupt"));
  await assert.rejects(openExistingStore(path), oneLine("db-corrupt"));
  assert.equal(await sha(path), before);
});

test("an SQLite file of another program is refused and never modified (no WAL switch, no new files)", async () => {
  const sub = join(dir, "foreign");
  await mkdir(sub);
  const path = join(sub, "other.db");
  const other = new Database(path);
  other.exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('keep me')");
  other.close();
  const before = await sha(path);
  const message = `${path} is an SQLite database but not a gguf-bench one; pass --db with another file`;
  await assert.rejects(openStore(path), { code: "db-foreign", message });
  await assert.rejects(openExistingStore(path), { code: "db-foreign", message });
  assert.equal(await sha(path), before);
  assert.deepEqual(await readdir(sub), ["other.db"]);
  const check = new Database(path, { readonly: true });
  assert.equal(check.pragma("journal_mode", { simple: true }), "delete");
  check.close();
});

test("an empty file reads as an empty history, untouched; a writer makes it a database", async () => {
  const path = join(dir, "empty.db");
  await writeFile(path, "");
  assert.equal(await openExistingStore(path), null);
  assert.equal((await readFile(path)).length, 0);
  const store = await openStore(path);
  await store.importRun(buildRun());
  await store.close();
  assert.equal((await readFile(path)).readUInt32BE(60), 4);
});

test("/dev/null, a directory or a FIFO as --db: refused in one line, nothing created", async () => {
  const journalBefore = spawnSync("test", ["-e", "/dev/null-journal"]).status === 0;
  for (const path of ["/dev/null", dir]) {
    await assert.rejects(openStore(path), oneLine("db-not-a-file"));
    await assert.rejects(openExistingStore(path), oneLine("db-not-a-file"));
  }
  const fifo = join(dir, "fifo.db");
  execFileSync("mkfifo", [fifo]);
  await assert.rejects(openExistingStore(fifo), oneLine("db-not-a-file"));
  if (!journalBefore) assert.equal(spawnSync("test", ["-e", "/dev/null-journal"]).status, 1);
});

test("a database written at schema 1 (two real runs of stories260K): read-only says migrate; a writer migrates", async () => {
  // Written by this store at migration 1 from two `gguf-bench run` invocations on 2026-11-26.
  const path = join(dir, "schema-v1.db");
  await copyFile(new URL("./fixtures/schema-v1.db", import.meta.url), path);
  const before = await sha(path);
  await assert.rejects(openExistingStore(path), (error: unknown) => {
    oneLine("db-outdated")(error);
    assert.match(
      (error as Error).message,
      /has database schema 1, this build needs 4; upgrade it with: gguf-bench db migrate --db /,
    );
    return true;
  });
  assert.equal(await sha(path), before, "a read changes nothing");
  const store = await openStore(path);
  try {
    const rows = await store.listRuns();
    assert.deepEqual(
      rows.map((r) => [r.runId, r.models, r.status]),
      [
        ["cb23eae4-0c68-42af-ab10-f5543eb3d9cb", ["stories260K.gguf"], "ok"],
        ["895e36a6-4be9-441b-b821-5038d8cf5926", ["stories260K.gguf"], "ok"],
      ],
    );
    // Migration 4 gave the old runs their machine.
    assert.equal((await store.listMachines()).length, 1);
    assert.match(rows[0]?.machine ?? "", /-[0-9a-f]{4}$/);
    const run = await store.getRun("895e36a6");
    assert.equal(run?.models[0]?.caseId, "stories260K.gguf#1");
    // Schema 2 and later allow a second case with the same id.
    const model = run?.models[0];
    if (model)
      await store.saveModel("895e36a6-4be9-441b-b821-5038d8cf5926", {
        ...model,
        process: { ...model.process, pid: 1 },
      });
    assert.equal((await store.getRun("895e36a6"))?.models.length, 2);
  } finally {
    await store.close();
  }
  assert.equal((await readFile(path)).readUInt32BE(60), 4);
});

test("a history on a read-only disk can be read (WAL included); a writer is told EROFS", async (t) => {
  const src = join(dir, "ro-src");
  const mnt = join(dir, "ro-mnt");
  await mkdir(src);
  await mkdir(mnt);
  const run = buildRun();
  const store = await openStore(join(src, "results.db"));
  await store.importRun(run);
  await store.close();
  const mounted = spawnSync("mount", ["--bind", "-o", "ro", src, mnt], { encoding: "utf8" });
  if (mounted.status !== 0) {
    if (process.env.CI === "true") assert.fail(`CI must run this test; mount failed: ${mounted.stderr}`);
    return t.skip(`cannot make a read-only mount here (needs root): ${mounted.stderr.trim()}`);
  }
  try {
    const readOnly = await openExistingStore(join(mnt, "results.db"));
    try {
      assert.deepEqual(await readOnly?.getRun(run.runId), run);
    } finally {
      await readOnly?.close();
    }
    // A writer is refused with the true reason, for the file, a new file and a new folder alike.
    const refusals: [string, string][] = [
      ["results.db", `cannot write ${join(mnt, "results.db")}: read-only file system (EROFS)`],
      ["new.db", `cannot write ${join(mnt, "new.db")}: read-only file system (EROFS)`],
      [
        join("a", "b", "new.db"),
        `cannot create the directory of ${join(mnt, "a", "b", "new.db")} (read-only file system (EROFS))`,
      ],
    ];
    for (const [file, message] of refusals)
      await assert.rejects(openStore(join(mnt, file)), { code: "db-open-failed", message });
  } finally {
    spawnSync("umount", [mnt]);
  }
});

test("--db and GGUF_BENCH_DB: a path, a postgres:// URL (password never shown), empty is a usage error", () => {
  const saved = process.env.GGUF_BENCH_DB;
  try {
    delete process.env.GGUF_BENCH_DB;
    assert.deepEqual(resolveDbLocation(undefined), { kind: "sqlite", path: defaultDbPath(), display: defaultDbPath() });
    process.env.GGUF_BENCH_DB = "postgres://bench:s3cret@db.lab:5432/history";
    assert.deepEqual(resolveDbLocation(undefined), {
      kind: "postgres",
      url: "postgres://bench:s3cret@db.lab:5432/history",
      display: "postgres://bench:***@db.lab:5432/history",
    });
    assert.equal(resolveDbLocation("/tmp/x.db").kind, "sqlite", "--db wins over the environment");
    process.env.GGUF_BENCH_DB = "";
    assert.throws(() => resolveDbLocation(undefined), { name: "UsageError", message: /GGUF_BENCH_DB is empty/ });
    assert.throws(() => resolveDbLocation(""), { name: "UsageError", message: /--db is empty/ });
    assert.throws(() => resolveDbLocation("postgres://bench:pw@host"), {
      name: "UsageError",
      message: /names no database/,
    });
    assert.throws(
      () => resolveDbLocation("postgresql://bench:pw@[bad/db"),
      (error: Error) => !error.message.includes(":pw@"),
    );
  } finally {
    if (saved === undefined) delete process.env.GGUF_BENCH_DB;
    else process.env.GGUF_BENCH_DB = saved;
  }
});

test("defaultDbPath follows XDG_DATA_HOME and ignores a relative one", () => {
  const saved = process.env.XDG_DATA_HOME;
  try {
    process.env.XDG_DATA_HOME = "/data/xdg";
    assert.equal(defaultDbPath(), "/data/xdg/gguf-bench/results.db");
    process.env.XDG_DATA_HOME = "relative/dir";
    assert.match(defaultDbPath(), /\/\.local\/share\/gguf-bench\/results\.db$/);
  } finally {
    if (saved === undefined) delete process.env.XDG_DATA_HOME;
    else process.env.XDG_DATA_HOME = saved;
  }
});

test("a history file this user may only read, in a folder it may not write: history and show read it, nothing changes", async (t) => {
  if (process.getuid?.() !== 0) return t.skip("needs root to run the CLI as another user (nobody)");
  const folder = join(dir, "others");
  await mkdir(folder);
  const file = join(folder, "results.db");
  const run = buildRun();
  const store = await openStore(file);
  await store.importRun(run);
  await store.close();
  await chmod(file, 0o444);
  await chmod(folder, 0o755);
  await chmod(dir, 0o755);
  const before = await sha(file);
  // Root reads and writes everything; the read-only case is real only for an ordinary user.
  const nobody = Number(execFileSync("id", ["-u", "nobody"]).toString().trim());
  const asNobody = { uid: nobody, env: { HOME: tmpdir() } };
  const history = await spawnCli(["history", "--db", file], asNobody).done;
  assert.equal(history.code, 0, history.stderr);
  assert.match(history.stdout, new RegExp(run.runId.slice(0, 8)));
  const show = await spawnCli(["show", run.runId, "--db", file], asNobody).done;
  assert.equal(show.code, 0, show.stderr);
  assert.match(show.stdout, /^# gguf-bench report/);
  assert.equal(await sha(file), before);
  assert.deepEqual(await readdir(folder), ["results.db"]);
});
