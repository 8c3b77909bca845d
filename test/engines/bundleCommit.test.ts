import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { bundledLlamaCppSource, nodeLlamaCppDir, readBundleCommit } from "../../src/engines/enginePaths.ts";

const bundle = path.join(nodeLlamaCppDir(), "llama", "gitRelease.bundle");

test("the llama.cpp commit of node-llama-cpp's bundle, read from its header, is the HEAD `git bundle list-heads` names", (t) => {
  let heads: string;
  try {
    heads = execFileSync("git", ["bundle", "list-heads", bundle], { encoding: "utf8" });
  } catch (error) {
    return t.skip(`git cannot list the bundle's heads: ${error instanceof Error ? error.message : String(error)}`);
  }
  const head = /^([0-9a-f]{40}) HEAD$/m.exec(heads)?.[1];
  assert.ok(head, heads);
  assert.deepEqual(readBundleCommit(bundle), { commit: head, reason: null });
  const source = bundledLlamaCppSource();
  assert.deepEqual(source, { commit: head, reason: null });
  assert.equal(bundledLlamaCppSource(), source, "read once per process, then the same answer");
});

test("a missing bundle or a file that is no bundle: no commit, and why", async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "gguf-bench-bundle-"));
  try {
    const missing = path.join(dir, "gitRelease.bundle");
    assert.deepEqual(readBundleCommit(missing), {
      commit: null,
      reason: `${missing} cannot be read: no such file or directory (ENOENT)`,
    });
    const text = path.join(dir, "notes.bundle");
    await writeFile(text, `${"a".repeat(40)} HEAD\nnot the header of a git bundle\n`);
    assert.deepEqual(readBundleCommit(text), {
      commit: null,
      reason: `${text} is not a git bundle with a head commit`,
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
