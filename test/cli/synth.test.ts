import assert from "node:assert/strict";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { readModelInfo } from "../../src/gguf/readModelInfo.ts";
import { runCli } from "../gguf/runCli.ts";

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "gguf-bench-synth-cli-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test("synth writes the asked shape and prints path, parameter count and bytes", async () => {
  const out = join(dir, "m.gguf");
  const run = await runCli([
    "synth",
    "--arch",
    "llama-moe",
    "--preset",
    "tiny",
    "--type",
    "q4_0",
    "--out",
    out,
    "--layers",
    "3",
    "--experts",
    "8",
    "--experts-used",
    "3",
    "--kv-heads",
    "1",
    "--seed",
    "9",
  ]);
  assert.equal(run.code, 0, run.stderr);
  const info = await readModelInfo(out);
  const bytes = (await stat(out)).size;
  assert.equal(
    run.stdout,
    `path: ${out}\nparameters: ${info.parameterCount} (${(info.parameterCount / 1000).toFixed(1)}K)\n` +
      `bytes: ${bytes} (${(bytes / 1024).toFixed(2)} KiB)\n`,
  );
  assert.equal(info.blockCount, 3);
  assert.equal(info.headCountKv, 1);
  assert.deepEqual(info.moe && [info.moe.expertCount, info.moe.expertUsedCount], [8, 3]);
  assert.equal(info.quantization, "Q4_0");
});

test("bad values are usage errors (exit 2) with one line, no stack trace", async () => {
  const out = join(dir, "bad.gguf");
  const cases = [
    ["--type", "q5_k"],
    ["--arch", "gpt2"],
    ["--preset", "70b"],
    ["--heads", "four"],
    ["--type", "q4_0", "--embd", "72", "--heads", "4"],
    ["--experts", "4"],
  ];
  // Independent runs: start them together, the CLI's start-up dominates.
  const runs = await Promise.all(cases.map((args) => runCli(["synth", "--out", out, ...args])));
  runs.forEach((run, i) => {
    assert.equal(run.code, 2, `${cases[i]?.join(" ")}: ${run.stderr}`);
    assert.doesNotMatch(run.stderr, /\n\s+at /);
  });
  await assert.rejects(stat(out));
});

test("an unwritable destination is a failure (exit 1) naming the path", async () => {
  const out = join(dir, "no", "such", "dir", "m.gguf");
  const run = await runCli(["synth", "--out", out]);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /^gguf-bench: cannot write .*m\.gguf/);
  assert.equal(run.stderr.trim().split("\n").length, 1);
});
