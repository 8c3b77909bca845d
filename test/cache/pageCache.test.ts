import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { preparePageCache } from "../../src/cache/pageCache.ts";

/** Resident bytes of one file, read independently of the module under test. */
function residentBytes(file: string): number | null {
  try {
    const out = execFileSync("fincore", ["--bytes", "--noheadings", "--raw", "--output", "RES", file], {
      encoding: "utf8",
    });
    return Number(out.trim());
  } catch {
    return null;
  }
}

const FILE_BYTES = 16 * 1024 * 1024;

test("cold evicts a just-written file, warm reads it back in; fincore agrees", async (t) => {
  if (process.platform !== "linux") return t.skip("page-cache control is Linux-only");
  const dir = await mkdtemp(path.join(os.tmpdir(), "gguf-bench-pagecache-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = path.join(dir, "model.bin");
  await writeFile(file, randomBytes(FILE_BYTES));
  if (residentBytes(file) === null) return t.skip("util-linux fincore is not installed: residency cannot be checked");

  const cold = await preparePageCache([file], "cold");
  assert.equal(cold.state, "cold", cold.method);
  assert.match(cold.method, /POSIX_FADV_DONTNEED/);
  assert.ok((residentBytes(file) ?? Number.NaN) <= FILE_BYTES * 0.05, "file still cached after cold");

  const warm = await preparePageCache([file], "warm");
  assert.equal(warm.state, "warm", warm.method);
  assert.ok((residentBytes(file) ?? 0) >= FILE_BYTES * 0.95, "file not cached after warm");
  // Not exactly 1: under memory pressure the kernel may drop a page between the read and the count.
  assert.ok((warm.residentFraction ?? 0) >= 0.95, `resident fraction ${warm.residentFraction}`);
});

test("several files are handled together", async (t) => {
  if (process.platform !== "linux") return t.skip("page-cache control is Linux-only");
  const dir = await mkdtemp(path.join(os.tmpdir(), "gguf-bench-pagecache-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const parts = [path.join(dir, "a-00001-of-00002.gguf"), path.join(dir, "a-00002-of-00002.gguf")];
  for (const part of parts) await writeFile(part, randomBytes(1024 * 1024));
  if (residentBytes(parts[0] as string) === null) return t.skip("util-linux fincore is not installed");
  const cold = await preparePageCache(parts, "cold");
  assert.equal(cold.state, "cold", cold.method);
  for (const part of parts) assert.ok((residentBytes(part) ?? Number.NaN) <= 1024 * 1024 * 0.05);
});

test("'unknown' leaves the cache alone and says so", async () => {
  const result = await preparePageCache(["/does/not/matter"], "unknown");
  assert.deepEqual(result, { state: "unknown", method: "not controlled" });
});

test("a file that cannot be read gives state unknown with the reason, not an exception", async () => {
  const missing = path.join(os.tmpdir(), `gguf-bench-missing-${process.pid}.gguf`);
  for (const want of ["cold", "warm"] as const) {
    const result = await preparePageCache([missing], want);
    assert.equal(result.state, "unknown");
    assert.match(result.method, /No such file|ENOENT|only Linux/);
  }
});
