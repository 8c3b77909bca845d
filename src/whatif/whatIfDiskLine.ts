import { statfs } from "node:fs/promises";
import { fsErrorText } from "../files/fsErrorText.ts";
import { formatBytes } from "../gguf/modelInfoRows.ts";
import type { WhatIfSpec } from "./parseWhatIf.ts";
import { DISK_MARGIN_BYTES } from "./resolveWhatIf.ts";
import { whatIfFileBytes } from "./whatIfFileBytes.ts";

/**
 * The line `run --what-if … --dry-run` prints about temporary disk: how much the synthesised files need together
 * (each is kept until the run ends, so their sizes add up; `whatIfFileBytes`, an upper bound), in which folder
 * (`tmpDir`, the run's TMPDIR), and whether that much is free there with the 256 MiB margin `run` keeps, e.g.
 * "temporary disk: 4 what-if file(s) need about 32.85 GiB in /tmp (removed after the run); 40.10 GiB free
 * there: enough". A folder whose free space cannot be read says so (with the errno) instead of a verdict. Null
 * for no specs.
 */
export async function whatIfDiskLine(specs: readonly WhatIfSpec[], tmpDir: string): Promise<string | null> {
  if (specs.length === 0) return null;
  const needed = specs.reduce((sum, spec) => sum + whatIfFileBytes(spec), 0);
  const head = `temporary disk: ${specs.length} what-if file(s) need about ${formatBytes(needed)} in ${tmpDir} (removed after the run)`;
  let free: number;
  try {
    const stats = await statfs(tmpDir);
    free = stats.bavail * stats.bsize;
  } catch (error) {
    return `${head}; free space there unknown (${fsErrorText(error)})`;
  }
  const verdict =
    needed + DISK_MARGIN_BYTES <= free
      ? "enough"
      : `not enough (with a ${formatBytes(DISK_MARGIN_BYTES)} margin): free some space or point TMPDIR at a larger disk`;
  return `${head}; ${formatBytes(free)} free there: ${verdict}`;
}
