import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

/**
 * Runs `run` with a fresh folder under the system temp dir (`<prefix>XXXXXX`), then removes the folder and all in
 * it, whether `run` resolved or threw (its error propagates). Resolves to what `run` resolved to.
 */
export async function withTempDir<T>(prefix: string, run: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  try {
    return await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
