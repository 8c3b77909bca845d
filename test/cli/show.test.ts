import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { renderMarkdown } from "../../src/report/renderMarkdown.ts";
import { openStore } from "../../src/store/resultStore.ts";
import { runCli } from "../gguf/runCli.ts";
import { buildRun } from "../helpers/resultsBuilder.ts";

let dir: string;
let db: string;
const run = buildRun({ runId: "5a0e0000-0000-4000-8000-000000000001", models: [{ label: "stories260K.gguf" }] });
const twin = buildRun({ runId: "5a0f0000-0000-4000-8000-000000000002" });

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "gguf-bench-show-cli-"));
  db = join(dir, "results.db");
  const store = await openStore(db);
  // Saved the way `run` saves: header first, then each model, then the end.
  await store.beginRun({ ...run, finishedAt: null, models: [] });
  for (const model of run.models) await store.saveModel(run.runId, model);
  await store.finishRun(run.runId, run.finishedAt as string, false);
  await store.importRun(twin);
  await store.close();
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test("show <prefix> prints the Markdown report of the stored run", async () => {
  const shown = await runCli(["show", "5a0e", "--db", db]);
  assert.equal(shown.code, 0, shown.stderr);
  assert.equal(shown.stdout, renderMarkdown([run]));
});

test("show of a results.json path prints the same report", async () => {
  const file = join(dir, "results.json");
  await writeFile(file, JSON.stringify(run));
  const shown = await runCli(["show", file, "--db", db]);
  assert.equal(shown.code, 0, shown.stderr);
  assert.equal(shown.stdout, renderMarkdown([run]));
});

test("an unknown or ambiguous run id is a one-line error", async () => {
  const unknown = await runCli(["show", "ffff", "--db", db]);
  assert.equal(unknown.code, 1);
  assert.equal(
    unknown.stderr,
    `gguf-bench: no run "ffff" in ${db} and no such results file (list runs with: gguf-bench history)\n`,
  );
  const ambiguous = await runCli(["show", "5a0", "--db", db]);
  assert.equal(ambiguous.code, 1);
  assert.match(
    ambiguous.stderr,
    /^gguf-bench: run id prefix "5a0" matches several runs \(.*\); give more characters\n$/,
  );
});
