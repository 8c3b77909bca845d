import { rm, writeFile } from "node:fs/promises";
import path from "node:path";

/**
 * Creates and removes an empty file in `dir`, so a folder that cannot be written fails now, with its true
 * reason (EROFS, EACCES, ENOSPC, ENOENT), before any work is done. Throws the file-system error.
 */
export async function probeWritable(dir: string): Promise<void> {
  const probe = path.join(dir, `.gguf-bench-write-test.${process.pid}`);
  try {
    await writeFile(probe, "", { flag: "wx" });
  } finally {
    await rm(probe, { force: true }).catch(() => {});
  }
}
