import { readFileSync } from "node:fs";
import os from "node:os";

/**
 * The CPU cores this process can really use: os.availableParallelism() (which honours the CPU affinity mask),
 * lowered by a cgroup CPU quota when one is set (containers often get fewer cores than the machine shows,
 * and llama.cpp threads beyond the quota wait on each other). `source` says how the figure was found.
 */
export function availableCores(): { cores: number; source: string } {
  const parallelism = os.availableParallelism();
  const quota = cgroupCpuQuota();
  if (quota !== null && quota < parallelism) {
    const cores = Math.max(1, Math.floor(quota));
    return { cores, source: `cgroup CPU quota ${quota.toFixed(2)} cores (os.availableParallelism() = ${parallelism})` };
  }
  return { cores: parallelism, source: `os.availableParallelism() = ${parallelism}` };
}

/** Cores allowed by the cgroup quota (v2 `cpu.max`, else v1 `cpu.cfs_quota_us` / `cpu.cfs_period_us`), or null. */
export function cgroupCpuQuota(): number | null {
  const v2 = readText("/sys/fs/cgroup/cpu.max");
  if (v2 !== null) {
    const [quota, period] = v2.trim().split(/\s+/);
    return quota === undefined || quota === "max" ? null : ratio(quota, period);
  }
  const quota = readText("/sys/fs/cgroup/cpu/cpu.cfs_quota_us");
  const period = readText("/sys/fs/cgroup/cpu/cpu.cfs_period_us");
  return quota === null ? null : ratio(quota.trim(), period?.trim());
}

function ratio(quota: string, period: string | undefined): number | null {
  const q = Number(quota);
  const p = Number(period);
  return Number.isFinite(q) && q > 0 && Number.isFinite(p) && p > 0 ? q / p : null;
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
}
