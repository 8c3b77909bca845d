import { execFile } from "node:child_process";
import { open, stat } from "node:fs/promises";
import { promisify } from "node:util";
import type { CacheState } from "../results/types.ts";

const run = promisify(execFile);

export interface CachePrepared {
  /** The state actually reached ("unknown" when the platform would not allow it). */
  state: CacheState;
  /** How, e.g. "posix_fadvise(DONTNEED) via dd iflag=nocache"; or why it was not possible. */
  method: string;
  /** Fraction of the files' bytes resident in the page cache afterwards, when it could be checked. */
  residentFraction?: number | null;
}

/**
 * A cold file may keep a few pages that another process has mapped (DONTNEED never evicts mapped pages);
 * a warm file may lose a few to memory pressure. Beyond these fractions the state is not what was asked.
 */
const COLD_MAX_RESIDENT = 0.05;
const WARM_MIN_RESIDENT = 0.95;
/** A read big enough to stream at disk speed, small enough not to matter in the child's memory. */
const READ_CHUNK_BYTES = 8 * 1024 * 1024;
const TOOL_TIMEOUT_MS = 120_000;

/** Puts the file(s) in the asked page-cache state before a load. */
export async function preparePageCache(files: string[], want: CacheState): Promise<CachePrepared> {
  if (want === "unknown") return { state: "unknown", method: "not controlled" };
  if (process.platform !== "linux") {
    return {
      state: "unknown",
      method: `page cache not controlled on ${process.platform}: only Linux (posix_fadvise via GNU dd) is supported`,
    };
  }
  try {
    return want === "cold" ? await evict(files) : await warm(files);
  } catch (error) {
    return { state: "unknown", method: `could not make the file(s) ${want}: ${oneLine(error)}` };
  }
}

async function evict(files: string[]): Promise<CachePrepared> {
  for (const file of files) {
    // Dirty pages (a file just written, e.g. a synthesised model) cannot be dropped until written back.
    await run("sync", [file], { timeout: TOOL_TIMEOUT_MS });
    // Node has no fadvise; GNU dd with iflag=nocache and count=0 calls posix_fadvise(POSIX_FADV_DONTNEED)
    // on the whole file and reads nothing.
    await run("dd", [`if=${file}`, "iflag=nocache", "count=0", "status=none"], { timeout: TOOL_TIMEOUT_MS });
  }
  const method = "posix_fadvise(POSIX_FADV_DONTNEED) via GNU dd iflag=nocache count=0, after sync";
  const resident = await residentFraction(files);
  if (resident === null) return { state: "cold", method: `${method} (not verified: fincore unavailable)` };
  const percent = formatPercent(resident);
  if (resident > COLD_MAX_RESIDENT) {
    return {
      state: "unknown",
      method: `${method}, but ${percent} is still cached (mapped by another process, or a filesystem such as tmpfs that keeps it)`,
      residentFraction: resident,
    };
  }
  return { state: "cold", method: `${method}; ${percent} resident per fincore`, residentFraction: resident };
}

async function warm(files: string[]): Promise<CachePrepared> {
  const buffer = Buffer.allocUnsafe(READ_CHUNK_BYTES);
  for (const file of files) {
    const handle = await open(file, "r");
    try {
      while ((await handle.read(buffer, 0, buffer.length, null)).bytesRead > 0);
    } finally {
      await handle.close();
    }
  }
  const method = "read through once";
  const resident = await residentFraction(files);
  if (resident === null) return { state: "warm", method: `${method} (not verified: fincore unavailable)` };
  const percent = formatPercent(resident);
  if (resident < WARM_MIN_RESIDENT) {
    return {
      state: "unknown",
      method: `${method}, but only ${percent} stayed cached (not enough free memory to hold it?)`,
      residentFraction: resident,
    };
  }
  return { state: "warm", method: `${method}; ${percent} resident per fincore`, residentFraction: resident };
}

/** Resident bytes ÷ size over all files, from util-linux fincore; null when fincore cannot be run. */
export async function residentFraction(files: string[]): Promise<number | null> {
  let residentBytes = 0;
  let totalBytes = 0;
  for (const file of files) {
    let stdout: string;
    try {
      ({ stdout } = await run("fincore", ["--bytes", "--json", "--output", "RES,SIZE", file], {
        timeout: TOOL_TIMEOUT_MS,
      }));
    } catch {
      return null;
    }
    const row = (JSON.parse(stdout) as { fincore?: { res?: number | string; size?: number | string }[] }).fincore?.[0];
    if (!row) return null;
    residentBytes += Number(row.res);
    totalBytes += Number(row.size ?? (await stat(file)).size);
  }
  if (!Number.isFinite(residentBytes) || !(totalBytes > 0)) return totalBytes === 0 ? 0 : null;
  // fincore counts whole pages, so the last partial page can push the sum just above the size.
  return Math.min(1, residentBytes / totalBytes);
}

function formatPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

function oneLine(error: unknown): string {
  const e = error as { code?: unknown; stderr?: unknown; message?: unknown };
  if (e.code === "ENOENT" && typeof e.message === "string" && e.message.includes("spawn")) {
    return `${e.message.replace(/^spawn /, "").replace(/ ENOENT$/, "")} is not installed`;
  }
  const text = typeof e.stderr === "string" && e.stderr.trim() ? e.stderr : String(e.message ?? error);
  return text.trim().split("\n")[0] ?? "unknown error";
}
