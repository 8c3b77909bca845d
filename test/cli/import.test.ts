import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { openStore } from "../../src/store/resultStore.ts";
import { runCli } from "../gguf/runCli.ts";
import { buildRun, okContext } from "../helpers/resultsBuilder.ts";

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "gguf-bench-import-cli-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const elsewhere = buildRun({
  runId: "e15e0000-0000-4000-8000-000000000001",
  environment: { hostname: "other-machine" },
  models: [{ label: "a.gguf", contexts: [okContext(512, 400)] }, { label: "b.gguf" }],
});
const interrupted = buildRun({
  runId: "e15e1111-0000-4000-8000-000000000002",
  interrupted: true,
  models: [{ label: "a.gguf" }],
});

test("import adds runs once, exactly as in the file, and says when a run is already there", async () => {
  const db = join(dir, "nested", "results.db");
  const fileA = join(dir, "elsewhere.json");
  const fileB = join(dir, "interrupted.json");
  await writeFile(fileA, JSON.stringify(elsewhere, null, 2));
  await writeFile(fileB, JSON.stringify(interrupted));

  const first = await runCli(["import", fileA, fileB, "--db", db]);
  assert.equal(first.code, 0, first.stderr);
  assert.equal(
    first.stdout,
    `imported run e15e0000 (2 model result(s)) from ${fileA}\nimported run e15e1111 (1 model result(s)) from ${fileB}\n`,
  );
  const again = await runCli(["import", fileA, "--db", db]);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(again.stdout, `run e15e0000 from ${fileA} is already in ${db}: skipped\n`);

  const store = await openStore(db);
  try {
    assert.deepEqual(await store.getRun(elsewhere.runId), elsewhere);
    assert.deepEqual(await store.getRun(interrupted.runId), interrupted);
    // Same start time: listed by id.
    assert.deepEqual(
      (await store.listRuns()).map((r) => [r.runId, r.status]),
      [
        [elsewhere.runId, "ok"],
        [interrupted.runId, "interrupted"],
      ],
    );
  } finally {
    await store.close();
  }
});

test("a bad or newer file is reported in one line, the good ones are still imported, exit 1", async () => {
  const db = join(dir, "mixed.db");
  const bad = join(dir, "bad.json");
  const newer = join(dir, "newer.json");
  const good = join(dir, "good.json");
  await writeFile(bad, JSON.stringify({ ...elsewhere, models: "none" }));
  await writeFile(newer, JSON.stringify({ ...elsewhere, schemaVersion: 7 }));
  await writeFile(good, JSON.stringify(elsewhere));
  const run = await runCli(["import", bad, newer, good, "--db", db]);
  assert.equal(run.code, 1);
  assert.equal(run.stdout, `imported run e15e0000 (2 model result(s)) from ${good}\n`);
  assert.equal(
    run.stderr,
    `gguf-bench: ${bad} is not a valid gguf-bench results file: models: Invalid input: expected array, received string\n` +
      `gguf-bench: ${newer} was made by a newer gguf-bench (results schema 7, this build reads up to 1); upgrade gguf-bench to read it\n`,
  );
});
