import { lstatSync, mkdirSync } from "node:fs";
import { lstat, mkdir, rmdir } from "node:fs/promises";
import { dirname, relative } from "node:path";

/**
 * `mkdir -p` that fails with the true reason. Node's recursive mkdir reports ENOENT when it cannot create a
 * level below an existing folder on a read-only disk; here the first missing level is created on its own,
 * so its own error (EROFS, EACCES, ENOSPC, ENOTDIR) is the one thrown. Returns the first (outermost) folder
 * it created, or undefined when `dir` existed: what `removeMadeFolders` may take away again.
 */
export async function makeFolder(dir: string): Promise<string | undefined> {
  try {
    return await mkdir(dir, { recursive: true });
  } catch (error) {
    throw await firstLevelError(dir, error);
  }
}

/**
 * Undoes a makeFolder(dir) that returned `made`, for a command that ended up writing nothing: removes `dir`
 * and its parents up to `made`, each only while it is empty (rmdir refuses anything else). Nothing happens
 * when makeFolder created nothing. Never throws.
 */
export async function removeMadeFolders(dir: string, made: string | undefined): Promise<void> {
  if (made === undefined) return;
  for (let current = dir; !relative(made, current).startsWith(".."); current = dirname(current)) {
    const removed = await rmdir(current).then(
      () => true,
      () => false,
    );
    if (!removed || current === made || dirname(current) === current) return;
  }
}

async function firstLevelError(dir: string, original: unknown): Promise<unknown> {
  const missing: string[] = [];
  let current = dir;
  while (!(await exists(current))) {
    missing.unshift(current);
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const level of missing) {
    try {
      await mkdir(level);
    } catch (error) {
      return error;
    }
  }
  return original;
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}

/** makeFolder for synchronous callers (opening an SQLite file): the same true reason. */
export function makeFolderSync(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    const missing: string[] = [];
    for (let current = dir; !existsSync(current); current = dirname(current)) {
      missing.unshift(current);
      if (dirname(current) === current) break;
    }
    for (const level of missing) mkdirSync(level);
    throw error;
  }
}

function existsSync(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
