import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { GgufBenchError } from "../../src/errors.ts";
import { loadResultsFile } from "../../src/results/loadResultsFile.ts";
import { buildRun, okContext } from "../helpers/resultsBuilder.ts";

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "gguf-bench-load-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(name: string, content: unknown): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, typeof content === "string" ? content : JSON.stringify(content, null, 2));
  return path;
}

async function rejectsWith(path: string, code: string, pattern: RegExp): Promise<void> {
  await assert.rejects(loadResultsFile(path), (error: unknown) => {
    assert.ok(error instanceof GgufBenchError, String(error));
    assert.equal(error.code, code);
    assert.match(error.message, pattern);
    assert.ok(error.message.includes(path), `message names the file: ${error.message}`);
    assert.ok(!error.message.includes("\n"), "one line");
    return true;
  });
}

test("a valid results file loads as written, unknown extra fields kept", async () => {
  const run = buildRun({
    models: [
      {
        label: "a.gguf",
        contexts: [okContext(512, 400), { contextSize: 4096, status: "skipped", reason: "beyond training" }],
      },
    ],
  });
  const withExtra = { ...run, notes: "added by a later minor version" };
  const loaded = await loadResultsFile(await write("ok.json", withExtra));
  assert.deepEqual(loaded, withExtra);
});

test("a missing file, bad JSON and a non-results JSON are one-line errors naming the file", async () => {
  await rejectsWith(join(dir, "absent.json"), "results-not-found", /no such file/);
  await rejectsWith(await write("bad.json", "{ not json"), "results-invalid", /is not valid JSON/);
  await rejectsWith(await write("array.json", [1, 2]), "results-invalid", /not a gguf-bench results file/);
  await rejectsWith(await write("other.json", { name: "package" }), "results-invalid", /no schemaVersion/);
});

test("the first schema problem is named by its path", async () => {
  const run = buildRun() as unknown as { models: { load: { durationMs: unknown } }[] };
  (run.models[0] as { load: { durationMs: unknown } }).load.durationMs = "fast";
  await rejectsWith(
    await write("wrong-type.json", run),
    "results-invalid",
    /: models\[0\]\.load\.durationMs: Invalid input: expected number, received string$/,
  );
  const badContext = buildRun({ models: [{ label: "a", contexts: [okContext(512, 400)] }] });
  (badContext.models[0]?.contexts[0] as { status: string }).status = "exploded";
  await rejectsWith(
    await write("bad-context.json", badContext),
    "results-invalid",
    /models\[0\]\.contexts\[0\]\.status/,
  );
  const { environment: _dropped, ...noEnvironment } = buildRun();
  await rejectsWith(await write("no-env.json", noEnvironment), "results-invalid", /: environment: /);
});

test("a file from a newer gguf-bench says so", async () => {
  await rejectsWith(
    await write("newer.json", { ...buildRun(), schemaVersion: 2, somethingNew: true }),
    "results-too-new",
    /made by a newer gguf-bench \(results schema 2, this build reads up to 1\)/,
  );
});

test("the results.json fixtures other tests render from pass validation", async (t) => {
  const fixtures = new URL("../fixtures/results/", import.meta.url);
  const names = existsSync(fixtures) ? (await readdir(fixtures)).filter((n) => n.endsWith(".json")) : [];
  if (names.length === 0) return t.skip(`no results fixtures at ${fixtures.pathname}`);
  for (const name of names) {
    const run = await loadResultsFile(new URL(name, fixtures).pathname);
    assert.equal(run.schemaVersion, 1, name);
  }
});
