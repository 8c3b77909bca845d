import { link, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

let sequence = 0;

/**
 * Writes `content` to a temporary file beside `target`, then moves it into place, so a crash, a full disk or
 * a signal at any moment leaves either the previous complete file or the new one, never half of one; the
 * temporary file is removed when the write fails. `replace: false` never replaces an existing `target`
 * (EEXIST instead): the move is a hard link, which the kernel refuses atomically when the name is taken, so
 * two processes cannot both claim it. Throws the file-system error.
 */
export async function writeFileAtomic(
  target: string,
  content: string | Buffer,
  options: { replace: boolean } = { replace: true },
): Promise<void> {
  const temporary = join(dirname(target), `.${basename(target)}.${process.pid}.${++sequence}.tmp`);
  try {
    await writeFile(temporary, content, { flag: "wx" });
    if (options.replace) await rename(temporary, target);
    else await linkOrCreate(temporary, target, content);
  } finally {
    await rm(temporary, { force: true }).catch(() => {});
  }
}

/** Some file systems (FAT, some network mounts) have no hard links: there, an exclusive create does the claim. */
async function linkOrCreate(temporary: string, target: string, content: string | Buffer): Promise<void> {
  try {
    await link(temporary, target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EOPNOTSUPP") throw error;
    try {
      await writeFile(target, content, { flag: "wx" });
    } catch (writeError) {
      // Ours only if the create succeeded and a later write failed; EEXIST means another claim won.
      if ((writeError as NodeJS.ErrnoException).code !== "EEXIST") await rm(target, { force: true }).catch(() => {});
      throw writeError;
    }
  }
}
