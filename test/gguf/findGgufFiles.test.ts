import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { findGgufFiles, type SkippedEntry } from "../../src/gguf/findGgufFiles.ts";

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
    const skipped: SkippedEntry[] = [];
    assert.deepEqual(await findGgufFiles(dir, (entry) => skipped.push(entry)), [
      join(dir, "A.GGUF"),
      join(dir, "b.gguf"),
      join(dir, "big-00001-of-00003.gguf"),
      join(dir, "link.gguf"),
      join(dir, "sub", "c.gguf"),
      join(dir, "sub", "deeper", "d.gguf"),
    ]);
    assert.deepEqual(skipped, [{ kind: "not-a-file", path: join(dir, "dangling.gguf"), what: "broken link" }]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("FIFOs, sockets and links to them are passed over and reported, whatever their name, never opened", async () => {
  const dir = await mkdtemp(join(tmpdir(), "gguf-bench-find-special-"));
  const server = createServer();
  try {
    await mkdir(join(dir, "sub"));
    await writeFile(join(dir, "a.gguf"), "");
    // Opening any of these FIFOs for reading would wait for a writer for ever: the search must end on its own.
    execFileSync("mkfifo", [join(dir, "pipe.gguf"), join(dir, "sub", "pipe")]);
    await symlink(join(dir, "pipe.gguf"), join(dir, "to-pipe.gguf"));
    await new Promise<void>((resolve) => server.listen(join(dir, "socket.gguf"), resolve));
    const skipped: SkippedEntry[] = [];
    assert.deepEqual(await findGgufFiles(dir, (entry) => skipped.push(entry)), [join(dir, "a.gguf")]);
    assert.deepEqual(
      skipped.sort((a, b) => (a.path < b.path ? -1 : 1)),
      [
        { kind: "not-a-file", path: join(dir, "pipe.gguf"), what: "FIFO" },
        { kind: "not-a-file", path: join(dir, "socket.gguf"), what: "socket" },
        { kind: "not-a-file", path: join(dir, "sub", "pipe"), what: "FIFO" },
        { kind: "not-a-file", path: join(dir, "to-pipe.gguf"), what: "link to a FIFO" },
      ],
    );
  } finally {
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  }
});
