import { readdir } from "node:fs/promises";
import { join } from "node:path";

/** Split parts after the first: a split model is listed once, by its first part. */
const LATER_SPLIT_PART = /-(\d{5})-of-\d{5}\.gguf$/;

/** The .gguf files under a directory (recursively), sorted, each split model once. */
export async function findGgufFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.toLowerCase().endsWith(".gguf"))
    .filter((entry) => {
      const part = LATER_SPLIT_PART.exec(entry.name);
      return !part || part[1] === "00001";
    })
    .map((entry) => join(entry.parentPath ?? dir, entry.name))
    .sort();
}
