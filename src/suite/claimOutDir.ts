import { lstat, mkdir, readdir, rmdir, stat } from "node:fs/promises";
import path from "node:path";
import { GgufBenchError } from "../errors.ts";
import { fsErrorText } from "../files/fsErrorText.ts";
import { makeFolder } from "../files/makeFolder.ts";
import { probeWritable } from "../files/probeWritable.ts";
import { REPORT_FILE_NAMES } from "../report/writeReports.ts";
import { RESULTS_FILE } from "./writeResultsFile.ts";

/** Two runs started in the same second share a timestamp; the later ones get "-2", "-3", … up to this. */
const MAX_SAME_SECOND_RUNS = 100;

/**
 * Makes sure the run's output folder exists, can be written and holds no earlier run, before anything is
 * measured. The default timestamped folder is always a fresh one (a run started in the same second gets
 * `<timestamp>-2`); a folder given with --out may exist but must not hold results.json or a report
 * (refused, never overwritten; results.json itself is claimed atomically when the run begins, so two runs at
 * once cannot both take the folder). Returns the folder and `release`, which removes it again when this call
 * created it and it is still empty (a run that failed before writing anything leaves no trace). Throws a
 * one-line GgufBenchError.
 */
export async function claimOutDir(
  dir: string,
  isDefault: boolean,
): Promise<{ dir: string; release: () => Promise<void> }> {
  const existed =
    !isDefault &&
    (await lstat(dir).then(
      () => true,
      () => false,
    ));
  const chosen = isDefault ? await freshFolder(dir) : await existingFolder(dir);
  await probeWritable(chosen).catch((error: unknown) => {
    throw cannot(chosen, "write to", error);
  });
  // rmdir refuses a folder that holds anything: only an empty one we made goes.
  const release = async () => (existed ? undefined : rmdir(chosen).catch(() => undefined));
  return { dir: chosen, release };
}

async function freshFolder(dir: string): Promise<string> {
  await makeFolder(path.dirname(dir)).catch((error: unknown) => {
    throw cannot(dir, "create", error);
  });
  for (let n = 1; n <= MAX_SAME_SECOND_RUNS; n++) {
    const candidate = n === 1 ? dir : `${dir}-${n}`;
    try {
      await mkdir(candidate);
      return candidate;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw cannot(candidate, "create", error);
    }
  }
  throw new GgufBenchError(
    "out-dir-taken",
    `${dir} and ${MAX_SAME_SECOND_RUNS - 1} numbered folders beside it exist; give a folder with --out`,
  );
}

async function existingFolder(dir: string): Promise<string> {
  try {
    await makeFolder(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST" || code === "ENOTDIR")
      throw new GgufBenchError("out-dir", `--out ${dir} is not a folder; give a folder for the results`);
    throw cannot(dir, "create", error);
  }
  let names: string[];
  try {
    if (!(await stat(dir)).isDirectory())
      throw new GgufBenchError("out-dir", `--out ${dir} is not a folder; give a folder for the results`);
    names = await readdir(dir);
  } catch (error) {
    if (error instanceof GgufBenchError) throw error;
    throw cannot(dir, "read", error);
  }
  const taken = [RESULTS_FILE, ...REPORT_FILE_NAMES].filter((name) => names.includes(name));
  if (taken.length > 0) {
    throw new GgufBenchError(
      "out-dir-taken",
      `${dir} already holds ${taken.join(", ")} of an earlier run; give a new folder with --out (or omit --out for a fresh timestamped one)`,
    );
  }
  return dir;
}

function cannot(dir: string, verb: string, error: unknown): GgufBenchError {
  return new GgufBenchError(
    "out-dir",
    `cannot ${verb} the output folder ${dir}: ${fsErrorText(error)}; choose another with --out`,
  );
}
