/**
 * How much CPU other processes took while a stage ran, from two readings of /proc taken at its boundaries.
 * Every figure is in clock ticks (USER_HZ), the unit of both /proc/stat and /proc/<pid>/stat (proc(5)), so no
 * tick rate is needed: the whole machine's time over the interval (cores × wall) is the sum of all of /proc/stat's
 * aggregate "cpu" fields.
 */

/** One reading: the machine's busy and total CPU time, and the time used by gguf-bench's own processes. */
export interface CpuReading {
  /** user + nice + system + irq + softirq + steal of the aggregate "cpu" line (guest is inside user already). */
  busyTicks: number;
  /** busyTicks + idle + iowait: every core's time since boot. */
  totalTicks: number;
  /** utime + stime + cutime + cstime summed over our processes (this one and the measured one). */
  ownTicks: number;
}

/**
 * Fewer ticks than this over the interval (all cores together) and the share is too coarse to mean anything: each
 * counter is whole ticks (10 ms at the usual USER_HZ of 100), so 40 ticks keep the rounding within about 5 points.
 * On 2 cores that is a stage of about 200 ms.
 */
export const MIN_INTERVAL_TICKS = 40;

type Eight = [number, number, number, number, number, number, number, number];

/**
 * The aggregate "cpu" line of /proc/stat: `cpu user nice system idle iowait irq softirq steal guest guest_nice`
 * (proc(5)). Returns null when the line is missing or has fewer than the eight fields every Linux since 2.6.11 has.
 */
export function parseProcStat(text: string): Pick<CpuReading, "busyTicks" | "totalTicks"> | null {
  const line = text.split("\n").find((l) => l.startsWith("cpu "));
  if (!line) return null;
  const fields = line.trim().split(/\s+/).slice(1).map(Number);
  if (fields.length < 8 || fields.some((f) => !Number.isFinite(f) || f < 0)) return null;
  const [user, nice, system, idle, iowait, irq, softirq, steal] = fields as Eight;
  const busyTicks = user + nice + system + irq + softirq + steal;
  return { busyTicks, totalTicks: busyTicks + idle + iowait };
}

/**
 * utime + stime + cutime + cstime of /proc/<pid>/stat (fields 14–17, proc(5)): the process's own CPU time and that
 * of the children it has waited for. The command name (field 2) may hold spaces and parentheses, so fields are
 * counted after its last ")". Null when the text is not a stat line.
 */
export function parsePidStatTicks(text: string): number | null {
  const close = text.lastIndexOf(")");
  if (close < 0) return null;
  // After ")": field 3 (state) is index 0, so fields 14–17 are indexes 11–14.
  const fields = text
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  const times = fields.slice(11, 15).map(Number);
  if (times.length < 4 || times.some((t) => !Number.isFinite(t) || t < 0)) return null;
  return times.reduce((sum, t) => sum + t, 0);
}

export type OtherCpuShare = { fraction: number } | { fraction: null; reason: string };

/**
 * The share of every core's time (0–1) that processes other than ours used between two readings:
 * (Δbusy − Δown) / Δtotal, clamped to [0, 1] (the per-process and per-CPU counters are sampled apart, so a few
 * ticks may disagree). Null with the reason when the interval is too short to tell (MIN_INTERVAL_TICKS).
 */
export function otherCpuShare(before: CpuReading, after: CpuReading): OtherCpuShare {
  const total = after.totalTicks - before.totalTicks;
  if (total < MIN_INTERVAL_TICKS)
    return { fraction: null, reason: `too short to tell (${total} clock ticks over all cores)` };
  const other = after.busyTicks - before.busyTicks - (after.ownTicks - before.ownTicks);
  return { fraction: Math.min(1, Math.max(0, other / total)) };
}
