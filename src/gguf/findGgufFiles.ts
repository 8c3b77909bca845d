import type { Dirent } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";

/** Split parts after the first: a split model is listed once, by its first part. */
const LATER_SPLIT_PART = /-(\d{5})-of-\d{5}\.gguf$/i;

/**
 * What the search passed over, and why: a folder below the one asked for that could not be read, or an entry
 * that is not a regular file (`what`: "FIFO", "socket", "block device", "character device", "broken link",
 * "link to a FIFO", …). Either way the rest is still listed; a FIFO or device is never opened.
 */
export type SkippedEntry =
  | { kind: "unreadable-folder"; path: string; error: unknown }
  | { kind: "not-a-file"; path: string; what: string };

/**
 * The .gguf files under a directory (recursively), sorted, each split model once. Symbolic links to files count
 * (model caches such as Hugging Face's link snapshot names to blobs); links to folders are not followed (no
 * loops). Passed over and reported through `onSkipped`, the rest still listed: a sub-folder that cannot be read;
 * a FIFO, socket or device (whatever its name: never opened, as opening a FIFO waits for a writer); a `.gguf`
 * link that is broken or leads to anything but a regular file (looked at with stat, never opened). The folder
 * asked for itself failing throws its file-system error.
 */
export async function findGgufFiles(
  dir: string,
  onSkipped: (skipped: SkippedEntry) => void = () => {},
): Promise<string[]> {
  const files: string[] = [];
  const pending: string[] = [dir];
  for (let folder = pending.pop(); folder !== undefined; folder = pending.pop()) {
    let entries: Dirent[];
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      if (folder === dir) throw error;
      onSkipped({ kind: "unreadable-folder", path: folder, error });
      continue;
    }
    for (const entry of entries) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        pending.push(path);
        continue;
      }
      const special = specialType(entry);
      if (special !== null) {
        onSkipped({ kind: "not-a-file", path, what: special });
        continue;
      }
      if (!entry.name.toLowerCase().endsWith(".gguf")) continue;
      const part = LATER_SPLIT_PART.exec(entry.name);
      if (part && part[1] !== "00001") continue;
      if (entry.isFile()) {
        files.push(path);
        continue;
      }
      const target = await linkTarget(path);
      if (target === null) files.push(path);
      else onSkipped({ kind: "not-a-file", path, what: target });
    }
  }
  return files.sort();
}

/** What a FIFO, socket or device is called; null for anything else (a file, a folder, a link). */
function specialType(entry: {
  isFIFO(): boolean;
  isSocket(): boolean;
  isBlockDevice(): boolean;
  isCharacterDevice(): boolean;
}): string | null {
  if (entry.isFIFO()) return "FIFO";
  if (entry.isSocket()) return "socket";
  if (entry.isBlockDevice()) return "block device";
  if (entry.isCharacterDevice()) return "character device";
  return null;
}

/** null when the link leads to a regular file; otherwise what it is instead ("broken link", "link to a FIFO", …). */
async function linkTarget(path: string): Promise<string | null> {
  return stat(path).then(
    (info) => {
      if (info.isFile()) return null;
      if (info.isDirectory()) return "link to a folder, not followed";
      return `link to a ${specialType(info) ?? "special file"}`;
    },
    () => "broken link",
  );
}
