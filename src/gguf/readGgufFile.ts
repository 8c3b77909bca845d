import { open } from "node:fs/promises";
import { GgufError } from "./ggufError.ts";
import { type GgufHeader, readGgufHeader } from "./readGgufHeader.ts";

/** Opens one GGUF file, parses its header (never its tensor data) and closes it. */
export async function readGgufFile(path: string): Promise<GgufHeader> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, "r");
  } catch (error) {
    throw new GgufError(
      "io",
      path,
      `cannot open: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new GgufError("io", path, "is not a regular file");
    return await readGgufHeader(handle, stat.size, path);
  } finally {
    await handle.close();
  }
}
