import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { openStore } from "../../src/store/resultStore.ts";
import { runCli } from "../gguf/runCli.ts";
import { fixtureRuns } from "./reportFixtures.ts";

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/results/${name}`, import.meta.url));
let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "gguf-bench-report-cli-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test("two results files merge into one report per format; a failed model sets exit code 1", async () => {
  const out = join(dir, "merged");
  const run = await runCli(["report", fixture("run-a.json"), fixture("run-b.json"), "--out", out]);
  assert.equal(run.code, 1, run.stderr);
  assert.equal(run.stderr, "");
  const paths = run.stdout.trim().split("\n");
  assert.deepEqual(
    paths,
    ["report.md", "report.html", "report.csv", "report.json"].map((name) => join(out, name)),
  );
  const md = await readFile(join(out, "report.md"), "utf8");
  assert.match(md, /Test environment — run a1b2c3d4-0000-4000-8000-00000000000a/);
  assert.match(md, /Test environment — run b5e6f7a8-0000-4000-8000-00000000000b/);
  const json = JSON.parse(await readFile(join(out, "report.json"), "utf8"));
  assert.equal(json.runs.length, 2);
});

test("a run id (prefix) is read from the history database", async () => {
  const db = join(dir, "results.db");
  const store = await openStore(db);
  const runB = fixtureRuns()[1];
  assert.ok(runB);
  await store.importRun(runB);
  await store.close();
  const out = join(dir, "from-db");
  const run = await runCli(["report", "b5e6f7a8", "--db", db, "--format", "md,json", "--out", out]);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(run.stdout.trim().split("\n"), [join(out, "report.md"), join(out, "report.json")]);
  const json = JSON.parse(await readFile(join(out, "report.json"), "utf8"));
  assert.equal(json.runs[0].runId, runB.runId);
  assert.equal(json.analysis.cases.length, 2);
});

test("bad input: one line, no stack trace, usage errors exit 2", async () => {
  const format = await runCli(["report", fixture("run-a.json"), "--format", "md,pdf", "--out", join(dir, "x")]);
  assert.equal(format.code, 2);
  assert.equal(format.stderr, "gguf-bench: --format: unknown format 'pdf' (choose from md, html, csv, json)\n");
  const missing = await runCli(["report", join(dir, "nope.json")]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^gguf-bench: cannot read .*nope\.json: no such file\n$/);
  const unknown = await runCli(["report", "deadbeef", "--db", join(dir, "absent.db")]);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /^gguf-bench: no run "deadbeef" in .*absent\.db and no such results file/);
});
