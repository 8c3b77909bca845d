import { GgufBenchError } from "../errors.ts";
import { expandModelFolder } from "../gguf/expandModelFolder.ts";

/**
 * `run`'s model arguments as files: a file as itself, a folder as the .gguf files under it, found as `inspect`
 * finds them (expandModelFolder: recursively, sorted, a split model by its first part). A path that cannot be
 * read is kept as given, so its metadata stage records why, as for any bad file. What a folder search passed over
 * (an entry that is not a regular file, a sub-folder that cannot be read) is one warning line each through `warn`.
 * Throws GgufBenchError "no-models" for a folder without any .gguf file: nothing has run yet.
 */
export async function expandModelArgs(args: string[], warn: (line: string) => void): Promise<string[]> {
  const files: string[] = [];
  for (const arg of args) {
    const folder = await expandModelFolder(arg).catch(() => null);
    if (folder === null) {
      files.push(arg);
      continue;
    }
    for (const line of [...folder.unreadable.map((u) => u.message), ...folder.skipped]) warn(line);
    if (folder.files.length === 0)
      throw new GgufBenchError(
        "no-models",
        `${arg}: no .gguf files in this folder (run takes GGUF files, or folders holding them)`,
      );
    files.push(...folder.files);
  }
  return files;
}
