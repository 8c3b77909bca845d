import { readFileSync } from "node:fs";

/**
 * Identifies one process across PID reuse: the boot id plus the process's start time in clock ticks since
 * boot (field 22 of /proc/<pid>/stat). Null where /proc is not available or the process is gone.
 */
export function processStartToken(pid: number): string | null {
  try {
    const bootId = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may contain spaces and parentheses: count fields after the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const startTicks = fields[19];
    return startTicks ? `${bootId}:${startTicks}` : null;
  } catch {
    return null;
  }
}
