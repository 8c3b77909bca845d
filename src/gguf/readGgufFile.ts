import { open, stat } from "node:fs/promises";
import { fsErrorText } from "../files/fsErrorText.ts";
import { GgufError } from "./ggufError.ts";
import { type GgufHeader, readGgufHeader } from "./readGgufHeader.ts";

/** Opens one GGUF file, parses its header (never its tensor data) and closes it. */
export async function readGgufFile(path: string): Promise<GgufHeader> {
  // Worded as inspect words a path it cannot read: "cannot read (no such file or directory (ENOENT))".
  const cannot = (error: unknown) => new GgufError("io", path, `cannot read (${fsErrorText(error)})`, { cause: error });
  // Checked before opening: opening a FIFO for reading would block until someone writes to it.
  const info = await stat(path).catch((error: unknown) => {
    throw cannot(error);
  });
  if (!info.isFile()) throw new GgufError("io", path, "is not a regular file");
  const handle = await open(path, "r").catch((error: unknown) => {
    throw cannot(error);
  });
  try {
    const { size } = await handle.stat();
    return await readGgufHeader(handle, size, path);
  } finally {
    await handle.close();
  }
}
