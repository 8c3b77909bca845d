import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { machineIdentity } from "../../src/store/machineIdentity.ts";
import { openStore } from "../../src/store/resultStore.ts";
import { runCli } from "../gguf/runCli.ts";
import { buildRun } from "../helpers/resultsBuilder.ts";

let dir: string;
let db: string;
const older = buildRun({
  runId: "11aa0000-0000-4000-8000-000000000001",
  startedAt: "2026-11-25T09:30:00.000Z",
  models: [{ label: "stories260K.gguf" }, { label: "tiny|random.gguf", status: "failed" }],
});
const newer = buildRun({
  runId: "22bb0000-0000-4000-8000-000000000002",
  startedAt: "2026-11-26T06:15:00.000Z",
  environment: { hostname: "laptop" },
  models: [{ label: "qwen-0.5b-q4_0.gguf" }],
});

const olderMachine = machineIdentity(older.environment).name;
const newerMachine = machineIdentity(newer.environment).name;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "gguf-bench-history-cli-"));
  db = join(dir, "results.db");
  const store = await openStore(db);
  await store.importRun(older);
  await store.importRun(newer);
  await store.close();
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test("history prints one table row per run, newest first", async () => {
  const run = await runCli(["history", "--db", db]);
  assert.equal(run.code, 0, run.stderr);
  const ids = [...run.stdout.matchAll(/│ (\w{8}) +│/g)].map((m) => m[1]);
  assert.deepEqual(ids, ["22bb0000", "11aa0000"]);
  assert.match(
    run.stdout,
    new RegExp(`│ 22bb0000 │ 2026-11-26 06:15 │ ${newerMachine} +│ qwen-0\\.5b-q4_0\\.gguf +│ ok +│`),
  );
  assert.match(
    run.stdout,
    new RegExp(
      `│ 11aa0000 │ 2026-11-25 09:30 │ ${olderMachine} +│ stories260K\\.gguf, tiny\\|random\\.gguf +│ partial +│`,
    ),
  );
  assert.match(run.stdout, /│ +│ +│ Test CPU 9000 +│/);
});

test("history --json and --model", async () => {
  const all = await runCli(["history", "--json", "--db", db]);
  assert.equal(all.code, 0, all.stderr);
  assert.deepEqual(JSON.parse(all.stdout), [
    {
      runId: newer.runId,
      startedAt: newer.startedAt,
      hostname: "laptop",
      cpuModel: "Test CPU 9000",
      machine: newerMachine,
      models: ["qwen-0.5b-q4_0.gguf"],
      status: "ok",
    },
    {
      runId: older.runId,
      startedAt: older.startedAt,
      hostname: "bench-host",
      cpuModel: "Test CPU 9000",
      machine: olderMachine,
      models: ["stories260K.gguf", "tiny|random.gguf"],
      status: "partial",
    },
  ]);
  const stories = await runCli(["history", "--model", "STORIES", "--json", "--db", db]);
  assert.deepEqual(
    JSON.parse(stories.stdout).map((r: { runId: string }) => r.runId),
    [older.runId],
  );
  const none = await runCli(["history", "--model", "mistral", "--db", db]);
  assert.equal(none.code, 0);
  assert.equal(none.stdout, `No runs of a model matching "mistral" in ${db} yet.\n`);
});

test("history --machine NAME|all", async () => {
  const ids = async (...args: string[]) => {
    const run = await runCli(["history", "--json", "--db", db, ...args]);
    assert.equal(run.code, 0, run.stderr);
    return JSON.parse(run.stdout).map((r: { runId: string }) => r.runId.slice(0, 4));
  };
  assert.deepEqual(await ids("--machine", newerMachine), ["22bb"]);
  assert.deepEqual(await ids("--machine", "bench-host"), ["11aa"]);
  assert.deepEqual(await ids("--machine", "all"), ["22bb", "11aa"]);
  const none = await runCli(["history", "--machine", "gpu-box", "--db", db]);
  assert.equal(none.stdout, `No runs on machine "gpu-box" in ${db} yet.\n`);
});

test("history of a database that does not exist is empty and creates nothing", async () => {
  const missing = join(dir, "nowhere", "results.db");
  const run = await runCli(["history", "--db", missing]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, `No runs in ${missing} yet.\n`);
  assert.equal(existsSync(join(dir, "nowhere")), false);
});

test("history of a corrupt database is one clear line and exit 1", async () => {
  const corrupt = join(dir, "corrupt.db");
  await writeFile(corrupt, "not a database, but a text file long enough to look like one ".repeat(30));
  const run = await runCli(["history", "--db", corrupt]);
  assert.equal(run.code, 1);
  assert.equal(run.stdout, "");
  assert.match(run.stderr, /^gguf-bench: .*corrupt\.db is not a usable gguf-bench database \(file is not a database\)/);
  assert.equal(run.stderr.split("\n").length, 2, "a single line");
});
