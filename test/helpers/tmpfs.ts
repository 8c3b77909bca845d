import { execFile } from "node:child_process";
import { closeSync, openSync, writeSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { TestContext } from "node:test";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Why a real small file system cannot be mounted here, or null when it can (root: mount(8) works). */
export function tmpfsUnavailable(): string | null {
  if (process.getuid?.() !== 0) return "mounting a small tmpfs needs root (CI runs as root)";
  return null;
}

/**
 * Mounts a fresh tmpfs of `sizeBytes` (read-only when asked) on a new folder for the test, and unmounts it
 * after. Skips the test, saying why, when not root; under CI (CI=true) it never skips: a CI that cannot mount
 * fails the test, so the full-disk checks cannot silently stop running there.
 */
export async function withTmpfs(
  t: TestContext,
  options: { sizeBytes: number; readOnly?: boolean },
  body: (dir: string) => Promise<void>,
): Promise<void> {
  const why = tmpfsUnavailable();
  if (why) {
    if (process.env.CI === "true") throw new Error(`CI=true, but ${why}`);
    t.skip(why);
    return;
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), "gguf-bench-tmpfs-"));
  const flags = `size=${options.sizeBytes}${options.readOnly ? ",ro" : ""}`;
  await run("mount", ["-t", "tmpfs", "-o", flags, "tmpfs", dir]);
  try {
    await body(dir);
  } finally {
    await run("umount", ["-l", dir]).catch(() => {});
    await rm(dir, { recursive: true, force: true });
  }
}

/** Fills the file system holding `dir` to the last byte (a real ENOSPC for whoever writes next). */
export function fillDisk(dir: string): void {
  const fd = openSync(path.join(dir, "filler"), "w");
  const page = Buffer.alloc(4096, 0x55);
  try {
    for (;;) writeSync(fd, page);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOSPC") throw error;
  } finally {
    closeSync(fd);
  }
}
