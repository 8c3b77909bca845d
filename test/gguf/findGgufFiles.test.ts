import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { findGgufFiles } from "../../src/gguf/findGgufFiles.ts";

test("finds .gguf files recursively, sorted, listing a split model by its first part only, following links to files", async () => {
  const dir = await mkdtemp(join(tmpdir(), "gguf-bench-find-"));
  try {
    await mkdir(join(dir, "sub", "deeper"), { recursive: true });
    for (const name of [
      "b.gguf",
      "A.GGUF",
      "notes.txt",
      "big-00001-of-00003.gguf",
      "big-00002-of-00003.gguf",
      "big-00003-of-00003.gguf",
      "sub/c.gguf",
      "sub/deeper/d.gguf",
    ]) {
      await writeFile(join(dir, name), "");
    }
    await mkdir(join(dir, "folder.gguf"));
    await symlink(join(dir, "sub", "c.gguf"), join(dir, "link.gguf"));
    await symlink(join(dir, "absent"), join(dir, "dangling.gguf"));
    assert.deepEqual(await findGgufFiles(dir), [
      join(dir, "A.GGUF"),
      join(dir, "b.gguf"),
      join(dir, "big-00001-of-00003.gguf"),
      join(dir, "link.gguf"),
      join(dir, "sub", "c.gguf"),
      join(dir, "sub", "deeper", "d.gguf"),
    ]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
