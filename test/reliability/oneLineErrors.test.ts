import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import Database from "better-sqlite3";
import { synthesizeModel } from "../../src/gguf/synthesize.ts";
import { openStore } from "../../src/store/resultStore.ts";
import { buildRun } from "../helpers/resultsBuilder.ts";
import { spawnCli } from "../helpers/spawnCli.ts";

let dir: string;
before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "gguf-bench-one-line-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function oneLine(stderr: string): string {
  const lines = stderr.split("\n").filter(Boolean);
  assert.equal(lines.length, 1, `one line on stderr, got:\n${stderr}`);
  assert.match(lines[0] ?? "", /^gguf-bench: /);
  return lines[0] ?? "";
}

test("a corrupt history row (not JSON, or JSON with a negative time) is a one-line error in show, report and compare", async () => {
  const db = path.join(dir, "corrupt.db");
  const broken = buildRun({ runId: "c0000000-0000-4000-8000-000000000001" });
  const negative = buildRun({ runId: "c1000000-0000-4000-8000-000000000002" });
  const store = await openStore(db);
  await store.importRun(broken);
  await store.importRun(negative);
  await store.close();
  const raw = new Database(db);
  raw.prepare('UPDATE models SET result_json = \'{"status": "ok", truncated\' WHERE run_id = ?').run(broken.runId);
  const model = { ...negative.models[0], load: { ...negative.models[0]?.load, durationMs: -5 } };
  raw.prepare("UPDATE models SET result_json = ? WHERE run_id = ?").run(JSON.stringify(model), negative.runId);
  raw.close();
  for (const args of [
    ["show", "c0"],
    ["report", "c0", "--out", path.join(dir, "r")],
    ["compare", "c0", "c1"],
  ]) {
    const run = await spawnCli([...args, "--db", db]).done;
    assert.equal(run.code, 1, run.stderr);
    assert.match(
      oneLine(run.stderr),
      /^gguf-bench: .*corrupt\.db: the stored data of a model of run c0000000-.* is not valid JSON$/,
    );
  }
  const show = await spawnCli(["show", "c1", "--db", db]).done;
  assert.equal(show.code, 1);
  assert.match(
    oneLine(show.stderr),
    /^gguf-bench: .*corrupt\.db: the stored data of run c1000000-.* is not a valid run \(models\.0\.load\.durationMs: Too small/,
  );
  // The rest of the history still lists.
  const history = await spawnCli(["history", "--db", db]).done;
  assert.equal(history.code, 0, history.stderr);
});

test("a results file with implausible numbers (negative times, sizes) is rejected by the schema", async () => {
  const run = buildRun();
  const model = run.models[0];
  if (!model?.inference) throw new Error("fixture");
  (model.inference.samples[1] as { promptMs: number }).promptMs = -3;
  const file = path.join(dir, "negative.json");
  await writeFile(file, JSON.stringify(run));
  const report = await spawnCli(["report", file, "--out", path.join(dir, "neg")]).done;
  assert.equal(report.code, 1);
  assert.match(
    oneLine(report.stderr),
    /is not a valid gguf-bench results file: models\[0\]\.inference\.samples\[1\]\.promptMs: Too small: expected number to be >=0$/,
  );
});

test("option errors from the parser carry the gguf-bench: prefix, one line, exit 2", async () => {
  for (const [args, pattern] of [
    [["run", "--bogus"], /^gguf-bench: unknown option '--bogus' \(run with --help for usage\)$/],
    [["run", "--runs"], /^gguf-bench: option '--runs <n\|auto>' argument missing \(run with --help for usage\)$/],
    [["frobnicate"], /^gguf-bench: unknown command 'frobnicate' \(run with --help for usage\)$/],
    [["compare", "a"], /^gguf-bench: missing required argument 'run-b' \(run with --help for usage\)$/],
    [
      ["synth", "--embd", "x"],
      /^gguf-bench: option '--embd <n>' argument 'x' is invalid\. expected a whole number\. \(run/,
    ],
    [["run", "x.gguf", "--contexts", "64,512", "--max-tokens", "128"], /--contexts 64 must be above --max-tokens 128/],
    [["run", "x.gguf", "--contexts", "128"], /--contexts 128 must be above --max-tokens 128/],
  ] as [string[], RegExp][]) {
    const run = await spawnCli(args, { cwd: dir }).done;
    assert.equal(run.code, 2, `${args.join(" ")}: ${run.stderr}`);
    assert.match(oneLine(run.stderr), pattern);
  }
});

test("a model's failure reason reaches stderr, one line per case", async () => {
  const bad = path.join(dir, "not-a-model.gguf");
  await writeFile(bad, "plain text\n");
  const run = await spawnCli(["run", bad, "--no-db", "--no-bandwidth", "--format", "md", "--out", path.join(dir, "f")])
    .done;
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stderr, /^gguf-bench: not-a-model\.gguf failed — metadata .*not-a-model\.gguf.*GGUF.*$/m);
});

test("inspect <dir> with an unreadable sub-folder warns about it and still shows the models in the rest", async (t) => {
  if (process.getuid?.() !== 0) return t.skip("needs root to run the CLI as another user (nobody)");
  const tree = path.join(dir, "tree");
  await mkdir(path.join(tree, "locked"), { recursive: true });
  await mkdir(path.join(tree, "open"), { recursive: true });
  await synthesizeModel({ arch: "llama", preset: "tiny", type: "q8_0", out: path.join(tree, "open", "a.gguf") });
  await synthesizeModel({ arch: "llama", preset: "tiny", type: "q8_0", out: path.join(tree, "locked", "b.gguf") });
  await chmod(dir, 0o755);
  await chmod(path.join(tree, "locked"), 0o000);
  // Root reads every folder; the unreadable case is real only for an ordinary user.
  const id = Number(execFileSync("id", ["-u", "nobody"]).toString().trim());
  // Its own HOME, and the shared temporary folder for tsx's cache.
  const asNobody = { uid: id, env: { HOME: os.tmpdir() } };
  const run = await spawnCli(["inspect", tree, "--json"], asNobody).done;
  assert.equal(run.code, 1, run.stderr);
  const outcomes = JSON.parse(run.stdout) as (
    | { file: string }
    | { file: string; error: { code: string; message: string } }
  )[];
  assert.deepEqual(
    outcomes.map((o) => ("error" in o ? `error ${path.relative(tree, o.file)}` : path.relative(tree, o.file))),
    ["error locked", "open/a.gguf"],
  );
  const plain = await spawnCli(["inspect", tree], asNobody).done;
  assert.equal(plain.code, 1);
  assert.match(oneLine(plain.stderr), /locked: cannot read this folder \(permission denied \(EACCES\)\); skipped$/);
  assert.match(plain.stdout, /open\/a\.gguf/);
});

test("a run whose --db is another program's SQLite file: the results stay in results.json, the one line does not send the user back to that file, which is unchanged", async () => {
  const foreign = path.join(dir, "foreign.db");
  const raw = new Database(foreign);
  raw.exec("CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('mine');");
  raw.close();
  const before = await readFile(foreign);
  const bad = path.join(dir, "not-a-model-2.gguf");
  await writeFile(bad, "plain text\n");
  const out = path.join(dir, "foreign-run");
  const run = await spawnCli(["run", bad, "--no-bandwidth", "--format", "md", "--out", out, "--db", foreign]).done;
  assert.equal(run.code, 1, run.stderr);
  const line = run.stderr.split("\n").find((l) => l.startsWith(`gguf-bench: history database ${foreign}`)) ?? "";
  assert.match(
    line,
    /1 model result\(s\) not stored \(not-a-model-2\.gguf\): .*is an SQLite database but not a gguf-bench one/,
  );
  assert.ok(
    line.endsWith(
      `store them later with: gguf-bench import ${path.join(out, "results.json")} --db <a usable database>`,
    ),
    line,
  );
  assert.deepEqual(await readFile(foreign), before);
  assert.deepEqual(
    (await readdir(dir)).filter((n) => n.startsWith("foreign.db")),
    ["foreign.db"],
  );
});
