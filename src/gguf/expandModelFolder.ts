import { stat } from "node:fs/promises";
import { fsErrorText } from "../files/fsErrorText.ts";
import { findGgufFiles } from "./findGgufFiles.ts";

/** Entries that are not regular files named one by one per folder asked for; the rest are counted. */
const MAX_SKIPPED_LISTED = 10;

/** The models a folder holds, and what the search passed over. */
export interface FolderModels {
  /** The .gguf files under it (recursively, sorted, a split model once: findGgufFiles). */
  files: string[];
  /** Warning lines: entries that are not regular files, never opened (the first 10 by path, then a count). */
  skipped: string[];
  /** Sub-folders that could not be read, each with a one-line message; the rest was still searched. */
  unreadable: { path: string; message: string }[];
}

/**
 * `input` as a folder of models (what `inspect` and `run` accept for a directory), or null when it is not a
 * folder (a file, or anything else: the caller reads it as one model). Throws the file-system error of `input`
 * itself (missing, unreadable).
 */
export async function expandModelFolder(input: string): Promise<FolderModels | null> {
  if (!(await stat(input)).isDirectory()) return null;
  const notFiles: { path: string; what: string }[] = [];
  const unreadable: FolderModels["unreadable"] = [];
  const files = await findGgufFiles(input, (entry) => {
    if (entry.kind === "not-a-file") notFiles.push(entry);
    else
      unreadable.push({
        path: entry.path,
        message: `${entry.path}: cannot read this folder (${fsErrorText(entry.error)}); skipped`,
      });
  });
  notFiles.sort((a, b) => (a.path < b.path ? -1 : 1));
  const skipped = notFiles
    .slice(0, MAX_SKIPPED_LISTED)
    .map((entry) => `${entry.path}: not a regular file (${entry.what}); skipped without opening it`);
  if (notFiles.length > MAX_SKIPPED_LISTED)
    skipped.push(
      `${input}: and ${notFiles.length - MAX_SKIPPED_LISTED} more entries that are not regular files; skipped`,
    );
  return { files, skipped, unreadable };
}
