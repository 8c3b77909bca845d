import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";

/** What the thread default is decided from; each part null when this system does not say. */
export interface CoreFacts {
  /** os.availableParallelism(): logical CPUs in this process's affinity mask. */
  parallelism: number;
  /** CPUs this process may run on (`Cpus_allowed_list` of /proc/self/status), or null. */
  allowedCpus: number[] | null;
  /** Physical core of each logical CPU ("package:core" from /sys/devices/system/cpu/cpuN/topology), or null. */
  coreOfCpu: Map<number, string> | null;
  /** Cores allowed by a cgroup CPU quota, or null. */
  quota: number | null;
}

export interface AvailableCores {
  /** The thread default: physical cores this process may use, lowered by a cgroup quota. */
  cores: number;
  logicalCpus: number;
  /** Physical cores among the allowed CPUs; null when the topology is unknown. */
  physicalCores: number | null;
  /** How `cores` was found, for results.json (config.threadsSource). */
  source: string;
}

/**
 * The thread default (pure; `coreFacts()` reads this machine): physical cores in the affinity mask, because
 * llama.cpp itself defaults to physical cores and SMT siblings share one core's execution units, so a second
 * thread per core mostly waits (and generation, bandwidth-bound, gains nothing); then lowered to a cgroup CPU
 * quota (containers often get fewer cores than they see, and llama.cpp threads beyond it wait on each other).
 * Without a topology, the logical CPUs available.
 */
export function decideCores(facts: CoreFacts): AvailableCores {
  const allowed = facts.allowedCpus ?? null;
  const logicalCpus = allowed?.length || facts.parallelism;
  let physicalCores: number | null = null;
  if (allowed && facts.coreOfCpu && allowed.every((cpu) => facts.coreOfCpu?.has(cpu)))
    physicalCores = new Set(allowed.map((cpu) => facts.coreOfCpu?.get(cpu))).size;
  let cores = physicalCores ?? logicalCpus;
  let source =
    physicalCores === null
      ? `${logicalCpus} logical CPUs available (os.availableParallelism(); no CPU topology to count physical cores)`
      : `${physicalCores} physical cores of the ${logicalCpus} logical CPUs this process may use (CPU affinity; SMT siblings not counted)`;
  if (facts.quota !== null && facts.quota < cores) {
    const limited = Math.max(1, Math.floor(facts.quota));
    source = `cgroup CPU quota ${facts.quota.toFixed(2)} cores (${source})`;
    cores = limited;
  }
  return { cores, logicalCpus, physicalCores, source };
}

/** The thread default for this process on this machine (see decideCores). */
export function availableCores(): AvailableCores {
  return decideCores(coreFacts());
}

export function coreFacts(): CoreFacts {
  const status = readText("/proc/self/status");
  const allowedLine = status?.match(/^Cpus_allowed_list:\s*(.+)$/m)?.[1];
  return {
    parallelism: os.availableParallelism(),
    allowedCpus: allowedLine ? parseCpuList(allowedLine) : null,
    coreOfCpu: cpuTopology(),
    quota: cgroupCpuQuota(),
  };
}

/** "0-3,8,10-11" → [0, 1, 2, 3, 8, 10, 11]; null when malformed. Bounded: at most 65,536 CPUs. */
export function parseCpuList(text: string): number[] | null {
  const cpus: number[] = [];
  for (const part of text.trim().split(",")) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!match) return null;
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : Number(match[2]);
    if (to < from || to - from + cpus.length > 65_536) return null;
    for (let cpu = from; cpu <= to; cpu++) cpus.push(cpu);
  }
  return cpus;
}

/** Physical core of every logical CPU from sysfs, or null when the topology is not exposed. */
function cpuTopology(): Map<number, string> | null {
  let names: string[];
  try {
    names = readdirSync("/sys/devices/system/cpu").filter((name) => /^cpu\d+$/.test(name));
  } catch {
    return null;
  }
  const cores = new Map<number, string>();
  for (const name of names) {
    const dir = `/sys/devices/system/cpu/${name}/topology`;
    const core = readText(`${dir}/core_id`)?.trim();
    const pkg = readText(`${dir}/physical_package_id`)?.trim() ?? "0";
    if (core === undefined) continue;
    cores.set(Number(name.slice(3)), `${pkg}:${core}`);
  }
  return cores.size > 0 ? cores : null;
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
