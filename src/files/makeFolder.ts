import { lstatSync, mkdirSync } from "node:fs";
import { lstat, mkdir } from "node:fs/promises";
import { dirname } from "node:path";

/**
 * `mkdir -p` that fails with the true reason. Node's recursive mkdir reports ENOENT when it cannot create a
 * level below an existing folder on a read-only disk; here the first missing level is created on its own,
 * so its own error (EROFS, EACCES, ENOSPC, ENOTDIR) is the one thrown.
 */
export async function makeFolder(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw await firstLevelError(dir, error);
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
