import { existsSync } from "node:fs";
import { openStore, type ResultStore } from "./resultStore.ts";

/**
 * For commands that only read history: a database that does not exist yet is an empty history, not a
 * reason to create files in the user's data directory.
 */
export function openExistingStore(path: string): ResultStore | null {
  return existsSync(path) ? openStore(path) : null;
}
