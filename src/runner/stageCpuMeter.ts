import { readFileSync } from "node:fs";
import type { Stage, StageCpuShare } from "../results/types.ts";
import { type CpuReading, type OtherCpuShare, otherCpuShare, parsePidStatTicks, parseProcStat } from "./cpuTicks.ts";

/** A stage's share with the case it belongs to (null: the whole load group's, e.g. load and cleanup). */
export interface StageCpuRecord extends StageCpuShare {
  caseIndex: number | null;
}

interface OpenStage {
  stage: Stage;
  caseIndex: number | null;
  detail: string;
  startedMs: number;
  reading: CpuReading | string;
}

const readText = (file: string): string | null => {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return null;
  }
};

/**
 * Reads the CPU time now: the machine's from /proc/stat and ours from /proc/self/stat plus each measured pid's.
 * "Ours" counts this process's children once it has waited for them (cutime), so a server that stopped within the
 * stage is still ours; a measured pid that is gone is skipped (it was reaped, hence in cutime). Node reaps children
 * on its event loop, never between these synchronous reads, so no process is counted twice or missed. Returns why
 * not when /proc/stat cannot be read (not Linux).
 */
export function readCpu(pids: readonly number[]): CpuReading | string {
  const machine = parseProcStat(readText("/proc/stat") ?? "");
  const self = parsePidStatTicks(readText("/proc/self/stat") ?? "");
  if (!machine || self === null) return "no /proc/stat to read (not Linux)";
  let ownTicks = self;
  for (const pid of pids) ownTicks += parsePidStatTicks(readText(`/proc/${pid}/stat`) ?? "") ?? 0;
  return { ...machine, ownTicks };
}

/**
 * Measures, stage by stage, how much CPU other processes used: a reading when a stage begins and when it ends,
 * nothing in between (no polling). `pids` gives the processes being measured at the moment (the worker, the running
 * llama-server); `unmeasurable`, when set, is why nothing can be read (a remote endpoint) and every stage records it.
 */
export class StageCpuMeter {
  readonly records: StageCpuRecord[] = [];
  private open: OpenStage | null = null;

  constructor(
    private readonly pids: () => readonly number[],
    private readonly unmeasurable: string | null = null,
  ) {}

  /** Ends the stage under way, if any, and starts this one. */
  begin(stage: Stage, caseIndex: number | null, detail: string): void {
    const reading = this.read();
    this.close(reading);
    this.open = { stage, caseIndex, detail, startedMs: performance.now(), reading };
  }

  /** Ends the stage under way (the group is done, or its process ended); calling it again does nothing. */
  end(): void {
    if (this.open) this.close(this.read());
  }

  private read(): CpuReading | string {
    return this.unmeasurable ?? readCpu(this.pids());
  }

  private close(now: CpuReading | string): void {
    const open = this.open;
    if (!open) return;
    this.open = null;
    const before = open.reading;
    const share: OtherCpuShare =
      typeof before === "string" || typeof now === "string"
        ? { fraction: null, reason: typeof before === "string" ? before : (now as string) }
        : otherCpuShare(before, now);
    this.records.push({
      stage: open.stage,
      caseIndex: open.caseIndex,
      detail: open.detail,
      wallMs: performance.now() - open.startedMs,
      otherCpuFraction: share.fraction,
      unmeasuredReason: share.fraction === null ? share.reason : null,
    });
  }
}
