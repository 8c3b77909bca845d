import { createHash } from "node:crypto";
import { open } from "node:fs/promises";
import { GgufError } from "./ggufError.ts";
import { readGgufFile } from "./readGgufFile.ts";
import { splitParts } from "./splitParts.ts";

/**
 * sha256 hex of (each part's GGUF header bytes + the total file size): identifies a model across runs without
 * hashing gigabytes of weights. Two files with the same header but different weights and the same size collide;
 * for benchmarking that is the same model shape, which is what history compares.
 */
export async function modelFingerprint(path: string): Promise<string> {
  const headers: Buffer[] = [];
  let totalBytes = 0;
  for (const part of await splitParts(path)) {
    const header = await readGgufFile(part);
    totalBytes += header.fileBytes;
    const handle = await open(part, "r");
    try {
      const bytes = Buffer.alloc(header.headerBytes);
      const { bytesRead } = await handle.read(bytes, 0, bytes.length, 0);
      if (bytesRead !== bytes.length) throw new GgufError("truncated", part, "file shrank while fingerprinting");
      headers.push(bytes);
    } finally {
      await handle.close();
    }
  }
  return fingerprintOfHeaders(headers, totalBytes);
}

/** The fingerprint of a model from its parts' header bytes (up to the end of the tensor table) and total size. */
export function fingerprintOfHeaders(headers: readonly Buffer[], totalBytes: number): string {
  const hash = createHash("sha256");
  for (const bytes of headers) hash.update(bytes);
  hash.update(`\0size=${totalBytes}`);
  return hash.digest("hex");
}
