import { readFileSync } from "node:fs";
import type { MemorySnapshot } from "../results/types.ts";

const FIELDS = {
  VmRSS: "vmRssBytes",
  RssAnon: "rssAnonBytes",
  RssFile: "rssFileBytes",
  VmHWM: "vmHwmBytes",
  VmSize: "vmSizeBytes",
} as const satisfies Record<string, keyof MemorySnapshot>;

/** Parses the text of /proc/<pid>/status (values are in kB = KiB) into a snapshot; missing fields read 0. */
export function parseProcStatus(text: string): MemorySnapshot {
  const snapshot: MemorySnapshot = { vmRssBytes: 0, rssAnonBytes: 0, rssFileBytes: 0, vmHwmBytes: 0, vmSizeBytes: 0 };
  for (const line of text.split("\n")) {
    const match = /^(\w+):\s+(\d+)\s*kB/.exec(line);
    if (!match) continue;
    const field = FIELDS[match[1] as keyof typeof FIELDS];
    if (field) snapshot[field] = Number(match[2]) * 1024;
  }
  return snapshot;
}

/** Reads the memory of a process from outside it; null once the process is gone (or on a non-Linux system). */
export function readProcStatus(pid: number): MemorySnapshot | null {
  try {
    return parseProcStatus(readFileSync(`/proc/${pid}/status`, "utf8"));
  } catch {
    return null;
  }
}
