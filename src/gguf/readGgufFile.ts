import { open, stat } from "node:fs/promises";
import { GgufError } from "./ggufError.ts";
import { type GgufHeader, readGgufHeader } from "./readGgufHeader.ts";

/** Opens one GGUF file, parses its header (never its tensor data) and closes it. */
export async function readGgufFile(path: string): Promise<GgufHeader> {
  const cannot = (error: unknown) =>
    new GgufError("io", path, `cannot open: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {
      cause: error,
    });
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
