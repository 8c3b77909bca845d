import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";

/** Split parts after the first: a split model is listed once, by its first part. */
const LATER_SPLIT_PART = /-(\d{5})-of-\d{5}\.gguf$/i;

/**
 * The .gguf files under a directory (recursively), sorted, each split model once. Symbolic links to files count
 * (model caches such as Hugging Face's link snapshot names to blobs).
 */
export async function findGgufFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    if (!entry.name.toLowerCase().endsWith(".gguf")) continue;
    const part = LATER_SPLIT_PART.exec(entry.name);
    if (part && part[1] !== "00001") continue;
    const path = join(entry.parentPath ?? dir, entry.name);
    if (entry.isFile() || (entry.isSymbolicLink() && (await isFile(path)))) files.push(path);
  }
  return files.sort();
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (info) => info.isFile(),
    () => false,
  );
}
