import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { findBuiltTool } from "../../src/engines/enginePaths.ts";
import { spawnCli } from "../helpers/spawnCli.ts";
import { tinyModel } from "../helpers/tinyModel.ts";
import { fillDisk, withTmpfs } from "../helpers/tmpfs.ts";

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const ESCAPES = "\u001b]0;owned\u0007\u001b[31m";

let dir: string;
/** An F32 model whose file name carries escape sequences (they reach the printed output path). */
let model: string;
before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "gguf-bench-quantize-out-"));
  model = await tinyModel(dir, `tiny-${ESCAPES}-f32.gguf`);
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const OWN = ["--quantizer", "gguf-bench"];

test("quantize never replaces an existing file unless --force: every output checked before any is written", async () => {
  const out = path.join(dir, "out");
  const first = await spawnCli(["quantize", model, "--types", "q8_0", "--out", out, ...OWN]).done;
  assert.equal(first.code, 0, first.stderr);
  assert.doesNotMatch(first.stdout, RAW_CONTROL, "the output path is printed escaped");
  const q8 = path.join(out, `tiny-${ESCAPES}-Q8_0.gguf`);
  await writeFile(q8, "precious\n");
  // q4_0 would be new, q8_0 exists: nothing at all is written.
  const refused = await spawnCli(["quantize", model, "--types", "q4_0,q8_0", "--out", out, ...OWN]).done;
  assert.equal(refused.code, 1);
  assert.match(
    refused.stderr,
    /^gguf-bench: .*tiny-\\u001b\]0;owned\\u0007\\u001b\[31m-Q8_0\.gguf already exists; pass --force to replace it\n$/,
  );
  assert.equal(await readFile(q8, "utf8"), "precious\n");
  assert.deepEqual(await readdir(out), [path.basename(q8)]);
  const forced = await spawnCli(["quantize", model, "--types", "q8_0", "--out", out, "--force", ...OWN]).done;
  assert.equal(forced.code, 0, forced.stderr);
  assert.equal((await readFile(q8)).subarray(0, 4).toString(), "GGUF");
  const empty = await spawnCli(["quantize", model, "--types", "q8_0", "--out", ""], { cwd: dir }).done;
  assert.equal(empty.code, 2);
  assert.equal(empty.stderr, "gguf-bench: --out needs a folder; omit it to write beside the input\n");
});

test("quantize onto a read-only disk: one line with the true reason (EROFS), before any work", async (t) => {
  await withTmpfs(t, { sizeBytes: 64 * 1024, readOnly: true }, async (disk) => {
    for (const out of [disk, path.join(disk, "new")]) {
      const run = await spawnCli(["quantize", model, "--types", "q8_0", "--out", out]).done;
      assert.equal(run.code, 1);
      assert.equal(
        run.stderr,
        `gguf-bench: cannot write to ${out}: read-only file system (EROFS); choose another folder with --out\n`,
      );
    }
  });
});

test("llama-quantize on a full disk: the one line says the disk is full, no partial file is left", async (t) => {
  if (findBuiltTool("llama-quantize") === null) return t.skip("llama-quantize is not built (gguf-bench engine build)");
  await withTmpfs(t, { sizeBytes: 1024 * 1024 }, async (disk) => {
    fillDisk(disk);
    const out = path.join(disk, "q");
    const run = await spawnCli(["quantize", model, "--types", "q8_0", "--out", out, "--quantizer", "llama-quantize"])
      .done;
    assert.equal(run.code, 1);
    const lines = run.stderr.split("\n").filter(Boolean);
    assert.equal(lines.length, 1, run.stderr);
    assert.match(
      lines[0] ?? "",
      /^gguf-bench: llama-quantize could not make Q8_0 from .*; no space left on device \(ENOSPC\): \d+ bytes free in /,
    );
    assert.equal(existsSync(out), false, "the folder quantize made and wrote nothing into is removed");
  });
});

test("gguf-bench's own quantizer on a full disk: one line, exit 1, no empty folder left; a folder that was there stays", async (t) => {
  await withTmpfs(t, { sizeBytes: 256 * 1024 }, async (disk) => {
    fillDisk(disk);
    const out = path.join(disk, "new", "q");
    const run = await spawnCli(["quantize", model, "--types", "q8_0,q4_0", "--out", out, ...OWN]).done;
    assert.equal(run.code, 1, run.stderr);
    assert.match(
      run.stderr,
      /^gguf-bench: cannot write .*-Q8_0\.gguf: it needs \d+\.\d\d [KMGT]iB \(\+64\.00 MiB margin\) but only 0 B are free there\n$/,
    );
    assert.equal(run.stdout, "");
    assert.deepEqual(await readdir(disk), ["filler"], "both levels quantize made are gone");
    const existing = path.join(disk, "mine");
    await mkdir(existing);
    const again = await spawnCli(["quantize", model, "--types", "q8_0", "--out", existing, ...OWN]).done;
    assert.equal(again.code, 1, again.stderr);
    assert.deepEqual(await readdir(existing), [], "the user's own folder is kept");
  });
});
