import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { synthesizeModel } from "../../src/gguf/synthesize.ts";
import type { RunResults } from "../../src/results/types.ts";
import { buildRun, okContext } from "../helpers/resultsBuilder.ts";
import { spawnCli } from "../helpers/spawnCli.ts";

/** A window title (OSC 0), a colour (CSI), BEL, a one-byte CSI (U+009B), a carriage return and a bidi override. */
const HOSTILE = "\u001b]0;owned\u0007\u001b[31mred\u009b2J\rover\u202eevil";
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

let dir: string;
before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "gguf-bench-hostile-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function assertClean(what: string, text: string): void {
  // CSV ends its lines with CRLF (RFC 4180): that CR is the file's own.
  const found = RAW_CONTROL.exec(what.endsWith(".csv") ? text.replace(/\r\n/g, "\n") : text);
  assert.equal(found, null, `${what} holds a raw control character U+${found?.[0].charCodeAt(0).toString(16)}`);
}

test("escape sequences in a GGUF's name and file name never reach the terminal or a report raw; the data keeps them", async () => {
  const model = path.join(dir, `evil-${HOSTILE.replace(/[\r]/g, "")}.gguf`);
  await synthesizeModel({ arch: "llama", preset: "tiny", type: "q8_0", out: model, name: HOSTILE });
  const out = path.join(dir, "out");
  const db = path.join(dir, "history.db");
  const run = await spawnCli([
    "run",
    model,
    ...["--runs", "1", "--warmup", "0", "--max-tokens", "4", "--threads", "1", "--inference-context", "256"],
    ...["--contexts", "256", "--no-bandwidth", "--db", db, "--out", out],
  ]).done;
  assert.equal(run.code, 0, run.stderr);
  assertClean("run's progress and messages", run.stderr + run.stdout);
  for (const name of ["report.md", "report.html", "report.csv", "report.json", "results.json"])
    assertClean(name, await readFile(path.join(out, name), "utf8"));
  const saved = JSON.parse(await readFile(path.join(out, "results.json"), "utf8")) as RunResults;
  assert.equal(saved.models[0]?.info.name, HOSTILE, "results.json keeps the name as it is (escaped JSON)");
  const file = path.join(out, "results.json");
  for (const args of [
    ["show", file],
    ["show", saved.runId, "--db", db],
    ["history", "--db", db],
    ["history", "--db", db, "--json"],
    ["compare", file, saved.runId, "--db", db],
    ["compare", file, file, "--format", "json"],
    ["inspect", model],
    ["inspect", model, "--json"],
    ["estimate", model, "--no-db"],
  ]) {
    const shown = await spawnCli(args).done;
    assert.equal(shown.code, 0, `${args.join(" ")}: ${shown.stderr}`);
    assertClean(args.join(" "), shown.stdout + shown.stderr);
  }
});

test("a 1 MB label (an imported results.json) makes small reports and small terminal output", async () => {
  const label = `${HOSTILE}${"A".repeat(1_000_000)}`;
  const run = buildRun({
    models: [
      { label, contexts: [okContext(512, 100), okContext(1024, 90)] },
      { label: "small.gguf", contexts: [okContext(512, 120), okContext(1024, 110)] },
    ],
  });
  run.environment.hostname = label;
  const file = path.join(dir, "huge-label.json");
  await writeFile(file, JSON.stringify(run));
  const out = path.join(dir, "huge-out");
  const report = await spawnCli(["report", file, "--out", out]).done;
  assert.equal(report.code, 0, report.stderr);
  for (const name of ["report.md", "report.html", "report.csv"]) {
    const bytes = (await stat(path.join(out, name))).size;
    assert.ok(bytes < 1_000_000, `${name} is ${bytes} bytes for a 1 MB label (was 50-214 MB)`);
    assertClean(name, await readFile(path.join(out, name), "utf8"));
  }
  // report.json carries the results as they are (the label once per place it is stored), no more.
  assert.ok((await stat(path.join(out, "report.json"))).size < 3 * (await stat(file)).size);
  const db = path.join(dir, "huge.db");
  assert.equal((await spawnCli(["import", file, "--db", db]).done).code, 0);
  for (const args of [
    ["show", file],
    ["compare", file, file],
    ["history", "--db", db],
  ]) {
    const shown = await spawnCli(args).done;
    assert.equal(shown.code, 0, shown.stderr);
    assert.ok(shown.stdout.length < 1_000_000, `${args[0]} printed ${shown.stdout.length} characters`);
    assertClean(args.join(" "), shown.stdout + shown.stderr);
  }
});
