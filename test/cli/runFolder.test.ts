import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { spawnCli } from "../helpers/spawnCli.ts";
import { tinyModel } from "../helpers/tinyModel.ts";

test("run takes a folder as inspect does: the .gguf files under it, a FIFO passed over with a warning", async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "gguf-bench-run-folder-"));
  try {
    const models = path.join(dir, "models");
    await mkdir(path.join(models, "sub"), { recursive: true });
    const a = await tinyModel(models, "a.gguf");
    const b = await tinyModel(path.join(models, "sub"), "b.gguf");
    await writeFile(path.join(models, "notes.txt"), "not a model");
    execFileSync("mkfifo", [path.join(models, "pipe.gguf")]);
    const { code, stdout, stderr } = await spawnCli(["run", models, "--dry-run", "--runs", "1"]).done;
    assert.equal(code, 0, stderr);
    assert.ok(stdout.includes(a) && stdout.includes(b), stdout);
    assert.doesNotMatch(stdout, /notes\.txt|pipe\.gguf|models failed/);
    assert.match(stderr, /^gguf-bench: .*pipe\.gguf: not a regular file \(FIFO\); skipped without opening it$/m);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("run refuses a folder without .gguf files in one line, exit 1, before anything runs", async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "gguf-bench-run-empty-"));
  try {
    await writeFile(path.join(dir, "readme.txt"), "nothing here");
    const out = path.join(dir, "out");
    const { code, stderr } = await spawnCli(["run", dir, "--no-db", "--out", out]).done;
    assert.equal(code, 1, stderr);
    assert.equal(
      stderr,
      `gguf-bench: ${dir}: no .gguf files in this folder (run takes GGUF files, or folders holding them)\n`,
    );
    await assert.rejects(stat(out), { code: "ENOENT" }, "no output folder was made");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
