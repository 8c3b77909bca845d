import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { LLAMA_CPP_COMMIT_NOT_RECORDED } from "../../src/results/types.ts";
import { openStore } from "../../src/store/resultStore.ts";
import { runCli } from "../gguf/runCli.ts";
import { buildRun } from "../helpers/resultsBuilder.ts";

// Known samples (see test/compare/compareRuns.test.ts for the hand computation): generation tokens/s
// [100, 102] → [110, 112]: +9.90%, t = 7.0711, df = 2, p = 1 − 5/√26 = 0.0194 (better); time to first token
// [20, 22] → [30, 32]: +47.6%, same p (worse, lower is better).
const a = buildRun({
  runId: "aaaa0000-0000-4000-8000-000000000001",
  models: [{ label: "tiny.gguf", samples: { generationTokensPerSecond: [100, 102], ttftMs: [20, 22] } }],
});
const b = buildRun({
  runId: "bbbb0000-0000-4000-8000-000000000002",
  environment: { llamaCppBuild: "b6100" },
  models: [{ label: "tiny.gguf", samples: { generationTokensPerSecond: [110, 112], ttftMs: [30, 32] } }],
});

let dir: string;
let db: string;
let fileB: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "gguf-bench-compare-cli-"));
  db = join(dir, "results.db");
  const store = await openStore(db);
  await store.importRun(a);
  await store.importRun(b);
  await store.close();
  fileB = join(dir, "b.json");
  await writeFile(fileB, JSON.stringify(b));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test("compare two stored runs by prefix: Markdown with verdicts and the environment warning", async () => {
  const run = await runCli(["compare", "aaaa", "bbbb", "--db", db]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^# gguf-bench comparison\n/);
  assert.match(run.stdout, /llama\.cpp build differs between the runs: b6000 → b6100/);
  assert.match(run.stdout, /\| Generation speed \(tokens\/s\) .*\|\s+\+9\.9% \|.*\| 0\.019 \| better ✅/);
  assert.match(run.stdout, /\| Time to first token \(ms\) .*\|\s+\+47\.6% \|.*\| 0\.019 \| worse ❌/);
});

test("compare a stored run with a results.json as JSON", async () => {
  const run = await runCli(["compare", "aaaa", fileB, "--format", "json", "--db", db]);
  assert.equal(run.code, 0, run.stderr);
  const c = JSON.parse(run.stdout);
  assert.equal(c.a.source, "database");
  assert.equal(c.b.source, fileB);
  const gen = c.models[0].metrics.find((m: { metric: string }) => m.metric === "inference.generationTokensPerSecond");
  assert.ok(Math.abs(gen.p - 0.019419324309079666) < 1e-9);
  assert.ok(Math.abs(gen.t - 7.0710678118654755) < 1e-9);
  assert.equal(gen.verdict, "improved");
});

test("compare names each run's llama.cpp commit; an older results.json without one is unknown, not a difference", async () => {
  // Both stored runs record the same commit: the history database keeps it.
  const stored = JSON.parse((await runCli(["compare", "aaaa", "bbbb", "--format", "json", "--db", db])).stdout);
  assert.equal(stored.a.llamaCppCommit, a.environment.llamaCppCommit);
  assert.equal(stored.sameLlamaCppCommit, true);
  // A results.json written before the commit was recorded: no such fields in its environment.
  const older = structuredClone(b) as unknown as { environment: Record<string, unknown> };
  delete older.environment.llamaCppCommit;
  delete older.environment.llamaCppCommitNotRecordedReason;
  const olderFile = join(dir, "older.json");
  await writeFile(olderFile, JSON.stringify(older));
  const json = JSON.parse((await runCli(["compare", "aaaa", olderFile, "--format", "json", "--db", db])).stdout);
  assert.equal(json.sameLlamaCppCommit, null);
  assert.equal(json.b.llamaCppCommit, null);
  assert.equal(json.b.llamaCppCommitNotRecordedReason, LLAMA_CPP_COMMIT_NOT_RECORDED);
  assert.equal(
    json.warnings.some((w: { message: string }) => w.message.startsWith("llama.cpp commit")),
    false,
  );
  const md = await runCli(["compare", "aaaa", olderFile, "--db", db]);
  assert.equal(md.code, 0, md.stderr);
  assert.ok(
    md.stdout.includes(
      `The llama.cpp commit is unknown for B: ${LLAMA_CPP_COMMIT_NOT_RECORDED}: whether both runs used the same llama.cpp is not known.`,
    ),
    md.stdout,
  );
  assert.doesNotMatch(md.stdout, /commit differs/);
});

test("--fail-on-regression exits 1 only beyond the threshold", async () => {
  const failing = await runCli(["compare", "aaaa", "bbbb", "--fail-on-regression", "40", "--db", db]);
  assert.equal(failing.code, 1);
  assert.equal(
    failing.stderr,
    "gguf-bench: 1 metric(s) got significantly worse by more than 40%: tiny.gguf Time to first token 47.6%\n",
  );
  const passing = await runCli(["compare", "aaaa", "bbbb", "--fail-on-regression", "50", "--db", db]);
  assert.equal(passing.code, 0, passing.stderr);
});

test("bad options are usage errors (exit 2); a missing run is exit 1", async () => {
  const format = await runCli(["compare", "aaaa", "bbbb", "--format", "xml", "--db", db]);
  assert.equal(format.code, 2);
  const threshold = await runCli(["compare", "aaaa", "bbbb", "--fail-on-regression", "lots", "--db", db]);
  assert.equal(threshold.code, 2);
  assert.equal(threshold.stderr, 'gguf-bench: --fail-on-regression expects a percentage ≥ 0, e.g. 5 (got "lots")\n');
  const missing = await runCli(["compare", "aaaa", join(dir, "absent.json"), "--db", db]);
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr, `gguf-bench: cannot read ${join(dir, "absent.json")}: no such file\n`);
});
