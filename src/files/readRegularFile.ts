import { constants } from "node:fs";
import { open } from "node:fs/promises";
import { GgufBenchError } from "../errors.ts";
import { fsErrorText } from "./fsErrorText.ts";

/**
 * Reads a whole file that must be a regular file of at most `maxBytes`. The file is opened non-blocking and
 * checked on the open handle, so a FIFO (which would block the reader until someone writes), a device (an
 * endless /dev/zero) or a folder fails at once, and nothing can be swapped in between check and read.
 * Throws GgufBenchError: `file-not-found`, `not-a-file`, `file-too-large`, `file-unreadable`.
 */
export async function readRegularFile(path: string, maxBytes: number): Promise<Buffer> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new GgufBenchError(
      code === "ENOENT" ? "file-not-found" : "file-unreadable",
      `cannot read ${path}: ${code === "ENOENT" ? "no such file" : fsErrorText(error)}`,
    );
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new GgufBenchError("not-a-file", `cannot read ${path}: ${fileKind(info)}`);
    if (info.size > maxBytes) {
      throw new GgufBenchError(
        "file-too-large",
        `cannot read ${path}: ${info.size} bytes is more than the ${maxBytes} this file can be`,
      );
    }
    return await handle.readFile();
  } catch (error) {
    if (error instanceof GgufBenchError) throw error;
    throw new GgufBenchError("file-unreadable", `cannot read ${path}: ${fsErrorText(error)}`);
  } finally {
    await handle.close().catch(() => {});
  }
}

/** What a path is when it is not a regular file, for the message. */
export function fileKind(info: {
  isDirectory(): boolean;
  isFIFO(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isSocket(): boolean;
}): string {
  if (info.isDirectory()) return "it is a folder, not a file";
  if (info.isFIFO()) return "it is a FIFO (named pipe), not a regular file";
  if (info.isCharacterDevice() || info.isBlockDevice()) return "it is a device, not a regular file";
  if (info.isSocket()) return "it is a socket, not a regular file";
  return "it is not a regular file";
}
