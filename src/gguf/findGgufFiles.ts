import type { Dirent } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";

/** Split parts after the first: a split model is listed once, by its first part. */
const LATER_SPLIT_PART = /-(\d{5})-of-\d{5}\.gguf$/i;

/** A folder below the one asked for that could not be read: skipped, the rest is still listed. */
export interface SkippedFolder {
  path: string;
  error: unknown;
}

/**
 * The .gguf files under a directory (recursively), sorted, each split model once. Symbolic links to files count
 * (model caches such as Hugging Face's link snapshot names to blobs); links to folders are not followed (no
 * loops). A sub-folder that cannot be read is reported through `onSkipped` and the rest is still listed; the
 * folder asked for itself failing throws its file-system error.
 */
export async function findGgufFiles(
  dir: string,
  onSkipped: (skipped: SkippedFolder) => void = () => {},
): Promise<string[]> {
  const files: string[] = [];
  const pending: string[] = [dir];
  for (let folder = pending.pop(); folder !== undefined; folder = pending.pop()) {
    let entries: Dirent[];
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      if (folder === dir) throw error;
      onSkipped({ path: folder, error });
      continue;
    }
    for (const entry of entries) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        pending.push(path);
        continue;
      }
      if (!entry.name.toLowerCase().endsWith(".gguf")) continue;
      const part = LATER_SPLIT_PART.exec(entry.name);
      if (part && part[1] !== "00001") continue;
      if (entry.isFile() || (entry.isSymbolicLink() && (await isFile(path)))) files.push(path);
    }
  }
  return files.sort();
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (info) => info.isFile(),
    () => false,
  );
}
