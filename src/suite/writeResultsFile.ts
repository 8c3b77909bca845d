import { rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type { RunResults } from "../results/types.ts";

export const RESULTS_FILE = "results.json";

/**
 * Rewrites results.json atomically (write a temporary file in the same folder, then rename over): a crash or
 * Ctrl-C at any moment leaves either the previous complete file or the new one, never half of one.
 */
export async function writeResultsFile(outDir: string, results: RunResults): Promise<string> {
  const target = path.join(outDir, RESULTS_FILE);
  const temporary = path.join(outDir, `.${RESULTS_FILE}.${process.pid}.tmp`);
  await writeFile(temporary, `${JSON.stringify(results, null, 2)}\n`);
  await rename(temporary, target);
  return target;
}
