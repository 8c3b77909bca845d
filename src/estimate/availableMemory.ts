import { readFileSync } from "node:fs";
import os from "node:os";

/**
 * Memory a new process can use without swapping: the kernel's MemAvailable (free + reclaimable page cache),
 * else os.freemem() (which leaves the page cache out, so it under-states on Linux).
 */
export function availableMemory(): { bytes: number; source: string } {
  try {
    const match = /^MemAvailable:\s+(\d+) kB$/m.exec(readFileSync("/proc/meminfo", "utf8"));
    if (match?.[1]) return { bytes: Number(match[1]) * 1024, source: "/proc/meminfo MemAvailable" };
  } catch {
    // not Linux: fall through
  }
  return { bytes: os.freemem(), source: "os.freemem()" };
}
