import { rmSync } from "node:fs";
import { access, constants, mkdtemp, rm, statfs } from "node:fs/promises";
import path from "node:path";
import { GgufBenchError } from "../errors.ts";
import { fsErrorText } from "../files/fsErrorText.ts";
import { formatBytes } from "../gguf/modelInfoRows.ts";
import { synthesizeModel } from "../gguf/synthesize.ts";
import { parseWhatIf, whatIfLabel } from "./parseWhatIf.ts";
import { whatIfFileBytes } from "./whatIfFileBytes.ts";

export interface WhatIfModel {
  path: string;
  /** Says the shape, e.g. "what-if llama 7b q4_0" (outputs mark it synthetic from the model's flag). */
  label: string;
  /** Removes the temporary file and its folder; safe to call twice. */
  cleanup(): Promise<void>;
}

/** Free space left on the disk after the file: writing a what-if model must never fill the disk. */
export const DISK_MARGIN_BYTES = 256 * 1024 * 1024;

/**
 * Synthesises the shape a `--what-if` spec names into a fresh folder under `tmpDir` (checking the free disk
 * first) and hands back its path, label and cleanup. Throws UsageError for a bad spec, GgufBenchError "io"
 * when `tmpDir` cannot be written (with its errno), "disk-full" when the file would not fit; nothing is left
 * behind on failure.
 */
export async function resolveWhatIf(spec: string, tmpDir: string): Promise<WhatIfModel> {
  const parsed = parseWhatIf(spec);
  const needed = whatIfFileBytes(parsed);
  // A read-only TMPDIR is reported as such, not as a lack of space.
  const unwritable = (error: unknown) =>
    new GgufBenchError(
      "io",
      `--what-if ${spec}: cannot create a folder in ${tmpDir} (${fsErrorText(error)}); point TMPDIR at a writable disk`,
    );
  await access(tmpDir, constants.W_OK).catch((error: unknown) => {
    throw unwritable(error);
  });
  const free = await freeBytes(tmpDir);
  if (needed + DISK_MARGIN_BYTES > free) {
    throw new GgufBenchError(
      "disk-full",
      `--what-if ${spec} needs about ${formatBytes(needed)} in ${tmpDir} but only ${formatBytes(free)} are free: ` +
        "free some space or point TMPDIR at a larger disk",
    );
  }
  const dir = await mkdtemp(path.join(tmpDir, "gguf-bench-what-if-")).catch((error: unknown) => {
    throw unwritable(error);
  });
  removeAtExit.add(dir);
  const cleanup = async () => {
    await rm(dir, { recursive: true, force: true });
    removeAtExit.delete(dir);
  };
  const label = whatIfLabel(parsed);
  try {
    const file = path.join(dir, `${parsed.arch}-${parsed.preset}-${parsed.type}.gguf`);
    const written = await synthesizeModel({ ...parsed, out: file, name: label });
    return { path: written.path, label, cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/**
 * Folders still to remove when the process ends without its cleanup: a second Ctrl-C or stop signal ends the
 * CLI at once (process.exit), and the synthetic model must not stay behind in TMPDIR then either.
 */
const removeAtExit = new Set<string>();
process.on("exit", () => {
  for (const dir of removeAtExit) rmSync(dir, { recursive: true, force: true });
});

async function freeBytes(dir: string): Promise<number> {
  try {
    const stats = await statfs(dir);
    return stats.bavail * stats.bsize;
  } catch (error) {
    throw new GgufBenchError(
      "io",
      `--what-if: cannot use ${dir} for the synthetic model (${(error as NodeJS.ErrnoException).code ?? error})`,
    );
  }
}
