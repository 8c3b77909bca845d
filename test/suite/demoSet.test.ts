import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, stat, truncate, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { readModelInfo } from "../../src/gguf/readModelInfo.ts";
import { DEMO_MODELS, demoCacheDir, prepareDemoSet } from "../../src/suite/demoSet.ts";

test("the demo set: a dense llama, a qwen2 and a llama MoE, written once and reused", async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "gguf-bench-demo-"));
  try {
    const first = await prepareDemoSet(dir);
    assert.equal(first.length, 3);
    const infos = await Promise.all(first.map((m) => readModelInfo(m.file)));
    assert.deepEqual(
      infos.map((i) => i.architecture),
      ["llama", "qwen2", "llama"],
    );
    assert.equal(infos[0]?.moe, null);
    assert.ok(infos[2]?.moe && infos[2].moe.expertUsedCount < infos[2].moe.expertCount);
    assert.deepEqual(
      first.map((m) => m.label),
      DEMO_MODELS.map((m) => m.label),
    );
    const mtimes = await Promise.all(first.map((m) => stat(m.file).then((s) => s.mtimeMs)));
    const second = await prepareDemoSet(dir);
    const again = await Promise.all(second.map((m) => stat(m.file).then((s) => s.mtimeMs)));
    assert.deepEqual(again, mtimes, "cached files are reused, not rewritten");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("the demo cache follows XDG_CACHE_HOME", () => {
  const saved = process.env.XDG_CACHE_HOME;
  process.env.XDG_CACHE_HOME = "/some/cache";
  try {
    assert.equal(demoCacheDir(), "/some/cache/gguf-bench/demo");
  } finally {
    if (saved === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = saved;
  }
});

test("a damaged demo cache is made again: a truncated file, one overwritten with garbage, a folder in its place", async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "gguf-bench-demo-damaged-"));
  try {
    const first = await prepareDemoSet(dir);
    const sizes = await Promise.all(first.map((m) => stat(m.file).then((s) => s.size)));
    const [truncated, garbage, folder] = first.map((m) => m.file) as [string, string, string];
    await truncate(truncated, Math.floor((sizes[0] ?? 0) / 2));
    await writeFile(garbage, "not a model at all\n");
    await rm(folder);
    await mkdir(folder);
    const again = await prepareDemoSet(dir);
    const infos = await Promise.all(again.map((m) => readModelInfo(m.file)));
    assert.deepEqual(
      infos.map((i) => i.architecture),
      ["llama", "qwen2", "llama"],
    );
    assert.deepEqual(await Promise.all(again.map((m) => stat(m.file).then((s) => s.size))), sizes);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
