/**
 * Every command's file arguments fed the hostile set: a FIFO, a folder, a device, an empty file, truncated
 * files, a huge sparse file, non-UTF-8 bytes, escape sequences in a name and in the content, a missing path.
 * Each must end on its own (no hang: a FIFO is never opened for a blocking read, /dev/zero never read to its
 * end) with exit 1 or 2, one `gguf-bench: …` line on stderr (run: one line per message, the failure among
 * them), no raw control character printed, and no file changed that the command does not own.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, truncate, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { synthesizeModel } from "../../src/gguf/synthesize.ts";
import { buildRun } from "../helpers/resultsBuilder.ts";
import { spawnCli } from "../helpers/spawnCli.ts";

/** Long enough for the CLI to start on a busy machine; a hang (a blocking read) never ends at all. */
const HANG_MS = 120_000;
/** Commands run side by side, two at a time (the machine has two cores; more only queue). */
const PARALLEL = 2;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const ESCAPES = "\u001b]0;owned\u0007\u001b[31m";

let root: string;
let hostile: string;
let owned: string;
let cwd: string;
let goodResults: string;
/** A model that loads, for options that take a second file (--reference). */
let model: string;
const inputs: Record<string, string> = {};

before(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "gguf-bench-fuzz-"));
  hostile = path.join(root, "hostile");
  owned = path.join(root, "owned");
  cwd = path.join(root, "cwd");
  for (const folder of [hostile, owned, cwd]) await mkdir(folder);
  model = (await synthesizeModel({ arch: "llama", preset: "tiny", type: "q8_0", out: path.join(root, "m.gguf") })).path;
  const modelBytes = await readFile(model);
  goodResults = path.join(root, "good.json");
  const resultsText = JSON.stringify(buildRun());
  await writeFile(goodResults, resultsText);

  const at = (name: string) => path.join(hostile, name);
  inputs.fifo = at("fifo");
  execFileSync("mkfifo", [inputs.fifo]);
  inputs.folder = at("folder");
  await mkdir(inputs.folder);
  inputs.device = "/dev/zero";
  inputs.empty = at("empty");
  await writeFile(inputs.empty, "");
  inputs["truncated gguf"] = at("truncated.gguf");
  await writeFile(inputs["truncated gguf"], modelBytes.subarray(0, Math.floor(modelBytes.length / 3)));
  inputs["truncated json"] = at("truncated.json");
  await writeFile(inputs["truncated json"], resultsText.slice(0, Math.floor(resultsText.length / 2)));
  inputs["huge sparse"] = at("huge");
  await writeFile(inputs["huge sparse"], "");
  await truncate(inputs["huge sparse"], 8 * 1024 ** 3);
  inputs["non-UTF-8"] = at("latin1");
  await writeFile(inputs["non-UTF-8"], Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]));
  inputs["escape sequences"] = at(`name-${ESCAPES}`);
  await writeFile(inputs["escape sequences"], `${ESCAPES}{"schemaVersion": 1, "x": "${ESCAPES}"}\n`);
  inputs.missing = at("missing");
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

interface Case {
  command: string;
  input: string;
  args: (input: string, mine: string) => string[];
  /** run writes its results and reports (the failure recorded) and says so on further lines. */
  manyLines?: boolean;
}

function cases(): Case[] {
  const all: Case[] = [];
  const add = (command: string, args: Case["args"], options: { skip?: string[]; manyLines?: boolean } = {}) => {
    for (const input of Object.keys(inputs))
      if (!options.skip?.includes(input)) all.push({ command, input, args, manyLines: options.manyLines });
  };
  const db = (mine: string) => ["--db", path.join(mine, "history.db")];
  add("inspect", (f) => ["inspect", f]);
  add("estimate", (f) => ["estimate", f, "--no-db"]);
  const run: Case["args"] = (f, mine) => [
    ...["run", f, "--no-db", "--no-bandwidth", "--format", "md", "--out", path.join(mine, "out")],
  ];
  add("run", run, { manyLines: true, skip: ["folder"] });
  // run takes a folder as the models in it (as inspect does): one with no .gguf file is refused in one line.
  all.push({ command: "run", input: "folder", args: run });
  add("report", (f, mine) => ["report", f, "--out", path.join(mine, "out"), ...db(mine)]);
  add("show", (f, mine) => ["show", f, ...db(mine)]);
  add("compare (as A)", (f, mine) => ["compare", f, goodResults, ...db(mine)]);
  add("compare (as B)", (f, mine) => ["compare", goodResults, f, "--fail-on-regression", "5", ...db(mine)]);
  add("import", (f, mine) => ["import", f, ...db(mine)]);
  // The history database itself: a reader never changes what it is given. An empty or missing file is an
  // empty history (exit 0), so those two are not hostile here.
  add("history --db", (f) => ["history", "--db", f], { skip: ["empty", "missing"] });
  add("run --reference", (f, mine) => [
    "run",
    model,
    "--reference",
    f,
    ...["--no-db", "--no-bandwidth", "--format", "md", "--out", path.join(mine, "out")],
  ]);
  add("quantize", (f, mine) => ["quantize", f, "--types", "q8_0", "--quantizer", "gguf-bench", "--out", mine]);
  // Creating a file that does not exist is synth's job; every other hostile path must be refused.
  add("synth --out", (f) => ["synth", "--out", f], { skip: ["missing"] });
  return all;
}

/** Type, size, times and mode of everything under `dir`: what "no file changed" is checked against. */
async function snapshot(dir: string): Promise<Map<string, string>> {
  const state = new Map<string, string>();
  const walk = async (folder: string) => {
    for (const name of await readdir(folder)) {
      const file = path.join(folder, name);
      const info = await lstat(file);
      state.set(file, `${info.mode} ${info.size} ${info.mtimeMs} ${info.ctimeMs}`);
      if (info.isDirectory()) await walk(file);
    }
  };
  await walk(dir);
  return state;
}

test("every command given every hostile file: one line, exit 1 or 2, no hang, nothing changed it does not own", async () => {
  const before = await snapshot(root);
  for (const [file, state] of before) if (file.startsWith(owned)) before.delete(file) && void state;
  const all = cases();
  const failures: string[] = [];
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < all.length; index = next++) {
      const c = all[index] as Case;
      const mine = path.join(owned, String(index));
      await mkdir(mine);
      const env = { XDG_DATA_HOME: path.join(mine, "data"), XDG_CACHE_HOME: path.join(mine, "cache") };
      const file = inputs[c.input] as string;
      const result = await spawnCli(c.args(file, mine), { cwd, env, timeoutMs: HANG_MS }).done;
      const what = `${c.command} ← ${c.input}`;
      const lines = result.stderr.split("\n").filter(Boolean);
      const problems: string[] = [];
      if (result.code !== 1 && result.code !== 2)
        problems.push(`exit ${result.code} (${result.signal ?? "no signal"})`);
      if (!c.manyLines && lines.length !== 1) problems.push(`${lines.length} lines on stderr`);
      if (lines.some((line) => !line.startsWith("gguf-bench: ")))
        problems.push("a line without the gguf-bench: prefix");
      if (c.manyLines && !lines.some((line) => / failed — metadata /.test(line))) problems.push("no failure reason");
      if (RAW_CONTROL.test(result.stderr + result.stdout)) problems.push("a raw control character printed");
      if (problems.length > 0) failures.push(`${what}: ${problems.join(", ")}\n${result.stderr}`);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  assert.deepEqual(failures, [], failures.join("\n"));

  const afterwards = await snapshot(root);
  for (const file of afterwards.keys()) if (file.startsWith(owned)) afterwards.delete(file);
  assert.deepEqual(afterwards, before, "no file outside each command's own --out/--db changed");
  assert.deepEqual(await readdir(cwd), [], "nothing written into the working folder");
});
