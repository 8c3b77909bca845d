import { spawn } from "node:child_process";
import { rename, rm, stat, statfs } from "node:fs/promises";
import path from "node:path";
import { GgufBenchError } from "../errors.ts";

/** Output kept from llama-quantize to explain a failure. */
const OUTPUT_TAIL_CHARS = 8192;
/** Free space below which a failed write is put down to a full disk (llama-quantize itself only says "failed"). */
const FULL_DISK_BYTES = 1024 * 1024;

/**
 * Runs llama.cpp's `llama-quantize IN OUT TYPE THREADS` (the binary built from node-llama-cpp's bundled source)
 * into a temporary name beside `out`, renamed on success. Never leaves a half-written file. Throws
 * GgufBenchError "quantize-failed" with llama-quantize's own reason (its last error line) when it fails.
 * `type` is llama-quantize's name (e.g. "Q4_K_M"); returns the bytes written.
 */
export async function quantizeWithLlamaCpp(
  binary: string,
  input: string,
  out: string,
  type: string,
  threads: number,
): Promise<number> {
  const partial = `${out}.partial-${process.pid}`;
  const args = [input, partial, type, String(threads)];
  let tail = "";
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString("utf8")).slice(-OUTPUT_TAIL_CHARS);
  };
  const exit = await new Promise<{ code: number | null; signal: string | null; error?: Error }>((resolve) => {
    const child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    child.on("error", (error) => resolve({ code: null, signal: null, error }));
    child.on("close", (code, signal) => resolve({ code, signal }));
  });
  if (exit.error || exit.code !== 0) {
    await rm(partial, { force: true });
    const how = exit.error ? exit.error.message : exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
    const reason = reasonLine(tail);
    const full = await fullDisk(path.dirname(out));
    throw new GgufBenchError(
      "quantize-failed",
      `llama-quantize could not make ${type} from ${input} (${how})${reason ? `: ${reason}` : ""}${full}`,
    );
  }
  await rename(partial, out);
  return (await stat(out)).size;
}

/** "; no space left …" when the disk that was written to is (nearly) full now, else "". */
async function fullDisk(dir: string): Promise<string> {
  const stats = await statfs(dir).catch(() => null);
  if (stats === null) return "";
  const free = stats.bavail * stats.bsize;
  return free < FULL_DISK_BYTES ? `; no space left on device (ENOSPC): ${free} bytes free in ${dir}` : "";
}

function reasonLine(text: string): string | null {
  const lines = text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  const telling = lines.findLast((line) => /error|failed|invalid|cannot|unknown|requantiz/i.test(line));
  return (telling ?? lines.at(-1) ?? "").slice(0, 300) || null;
}
