import path from "node:path";
import { writeFileAtomic } from "../files/writeFileAtomic.ts";
import type { RunResults } from "../results/types.ts";
import { terminalText } from "../text/printable.ts";

export const RESULTS_FILE = "results.json";

/**
 * Writes results.json atomically (a temporary file in the same folder, then moved into place): a crash,
 * a signal or a full disk at any moment leaves either the previous complete file or the new one, never half
 * of one. `claim: true` is the run's first write: it never replaces an existing results.json (EEXIST), so
 * neither a second run into the same folder nor two runs at once can overwrite an earlier run's results.
 * Throws the file-system error.
 */
export async function writeResultsFile(
  outDir: string,
  results: RunResults,
  options: { claim: boolean } = { claim: false },
): Promise<string> {
  const target = path.join(outDir, RESULTS_FILE);
  // Same data; C1 and bidi controls as \uXXXX escapes (JSON escapes C0 itself), so `cat results.json` is safe.
  await writeFileAtomic(target, terminalText(`${JSON.stringify(results, null, 2)}\n`), { replace: !options.claim });
  return target;
}
