import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import type { RunResults } from "../../src/results/types.ts";
import { timestampFolder } from "../../src/suite/parseRunOptions.ts";
import { spawnCli } from "../helpers/spawnCli.ts";

let dir: string;
/** A file that fails at the metadata stage: a real run, recorded, with no child process to wait for. */
let notGguf: string;
const QUICK = ["--no-db", "--no-bandwidth", "--format", "md"];

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "gguf-bench-out-dir-"));
  notGguf = path.join(dir, "not-a-model.gguf");
  await writeFile(notGguf, "this is not a GGUF file\n");
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test("a second run into the same --out is refused and the first run's files stay byte for byte", async () => {
  const out = path.join(dir, "same");
  const first = await spawnCli(["run", notGguf, ...QUICK, "--out", out]).done;
  assert.equal(first.code, 1, first.stderr); // the model failed: recorded, exit 1
  const before = await readFile(path.join(out, "results.json"), "utf8");
  const report = await readFile(path.join(out, "report.md"), "utf8");
  const second = await spawnCli(["run", notGguf, ...QUICK, "--out", out]).done;
  assert.equal(second.code, 1);
  assert.equal(
    second.stderr,
    `gguf-bench: ${out} already holds results.json, report.md of an earlier run; give a new folder with --out (or omit --out for a fresh timestamped one)\n`,
  );
  assert.equal(await readFile(path.join(out, "results.json"), "utf8"), before);
  assert.equal(await readFile(path.join(out, "report.md"), "utf8"), report);
});

test("two runs started at once into one empty folder: one takes it, the other is refused in one line", async () => {
  const out = path.join(dir, "race");
  await mkdir(out);
  const runs = await Promise.all([0, 1, 2].map(() => spawnCli(["run", notGguf, ...QUICK, "--out", out]).done));
  const refused = runs.filter((r) => /holds an earlier run's results|of an earlier run/.test(r.stderr));
  assert.equal(refused.length, 2, runs.map((r) => r.stderr).join("\n---\n"));
  for (const r of refused) {
    assert.equal(r.code, 1);
    assert.equal(r.stderr.split("\n").filter(Boolean).length, 1, r.stderr);
  }
  const winner = runs.find((r) => !refused.includes(r));
  assert.match(winner?.stderr ?? "", /1 result\(s\), 1 failed; results in/);
  const results = JSON.parse(await readFile(path.join(out, "results.json"), "utf8")) as RunResults;
  assert.equal(results.models.length, 1);
  assert.ok(results.finishedAt);
  assert.deepEqual(
    (await readdir(out)).filter((n) => n.startsWith(".")),
    [],
    "no temporary file left",
  );
});

test("without --out every run gets a fresh folder: a taken timestamp gets a numbered sibling", async () => {
  const cwd = path.join(dir, "cwd");
  // Every timestamp the run could pick in the next minute is already taken by an earlier run.
  const now = Date.now();
  const taken: string[] = [];
  for (let s = 0; s < 60; s++) {
    const folder = path.join(cwd, "gguf-bench-results", timestampFolder(new Date(now + s * 1000)));
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, "results.json"), "earlier\n");
    taken.push(folder);
  }
  const run = await spawnCli(["run", notGguf, ...QUICK], { cwd }).done;
  assert.equal(run.code, 1, run.stderr);
  const folder = /results in (.*)\n/.exec(run.stderr)?.[1] ?? "";
  assert.match(path.basename(folder), /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ-2$/);
  assert.ok(taken.includes(folder.slice(0, -2)));
  for (const earlier of taken) assert.equal(await readFile(path.join(earlier, "results.json"), "utf8"), "earlier\n");
  assert.deepEqual((await readdir(folder)).sort(), ["report.md", "results.json"]);
});

test('--out "" is a usage error that writes nothing', async () => {
  const cwd = path.join(dir, "empty-out");
  await mkdir(cwd);
  const run = await spawnCli(["run", notGguf, ...QUICK, "--out", ""], { cwd }).done;
  assert.equal(run.code, 2);
  assert.equal(run.stderr, "gguf-bench: --out needs a folder; omit it for a fresh ./gguf-bench-results/<timestamp>/\n");
  const report = await spawnCli(["report", notGguf, "--out", ""], { cwd }).done;
  assert.equal(report.code, 2);
  assert.match(report.stderr, /^gguf-bench: --out needs a folder/);
  assert.deepEqual(await readdir(cwd), []);
});

test("every usage error of run, and a llama-server not built, stops it before any output folder is made", async () => {
  const cwd = path.join(dir, "usage-errors");
  await mkdir(cwd);
  const cases: [string[], number, RegExp][] = [
    [["--engine", "llama-server", "--llama-server", "/nonexistent/llama-server"], 2, /does not exist/],
    [["--engine", "llama-server", "--llama-server", dir], 2, /is not a file/],
    [["--what-if", "llama:nope:q4_0"], 2, /unknown preset 'nope'/],
    [["--threads", "0"], 2, /^gguf-bench: --threads must be/],
    [["--engine", "openai"], 2, /needs --endpoint URL/],
    // No build in an empty cache: a failure (exit 1), named with the command that builds it.
    [["--engine", "llama-server"], 1, /llama-server is not built: run `gguf-bench engine build`/],
  ];
  for (const [args, code, message] of cases) {
    const run = await spawnCli(["run", notGguf, ...QUICK, ...args], {
      cwd,
      env: { XDG_CACHE_HOME: path.join(dir, "empty-cache") },
    }).done;
    assert.equal(run.code, code, `${args.join(" ")}: ${run.stderr}`);
    assert.match(run.stderr, message);
    assert.equal(run.stderr.split("\n").length, 2, `one line: ${run.stderr}`);
    assert.deepEqual(await readdir(cwd), [], `${args.join(" ")} left a folder behind`);
  }
});

test("synth --out refuses an existing file (a real model is never replaced by accident) unless --force, and a folder always", async () => {
  const existing = path.join(dir, "existing.gguf");
  await writeFile(existing, "precious\n");
  const refused = await spawnCli(["synth", "--out", existing]).done;
  assert.equal(refused.code, 1);
  assert.equal(refused.stderr, `gguf-bench: ${existing} already exists; pass --force to replace it\n`);
  assert.equal(await readFile(existing, "utf8"), "precious\n");
  const forced = await spawnCli(["synth", "--out", existing, "--force"]).done;
  assert.equal(forced.code, 0, forced.stderr);
  assert.equal((await readFile(existing)).subarray(0, 4).toString(), "GGUF");
  const folder = await spawnCli(["synth", "--out", dir, "--force"]).done;
  assert.equal(folder.code, 1);
  assert.equal(
    folder.stderr,
    `gguf-bench: --out ${dir} is a folder; give a file name, e.g. ${path.join(dir, "synthetic-llama-tiny-q8_0.gguf")}\n`,
  );
});
