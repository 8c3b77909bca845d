import { hostname } from "node:os";
import type { ModelResult } from "../results/types.ts";
import { processStartToken } from "./processStartToken.ts";

/** What `history` shows for a run. */
export type RunStatus = "ok" | "partial" | "failed" | "interrupted" | "running";

export interface RunStatusInput {
  finishedAt: string | null;
  interrupted: boolean;
  writerHost: string | null;
  writerPid: number | null;
  /** processStartToken of the writer when it began the run, if known. */
  writerToken: string | null;
  modelStatuses: ModelResult["status"][];
}

/**
 * A finished run is interrupted when it says so or a stop cut one of its cases short (modelStatuses are read
 * through caseStatus), ok when every case is, failed when every case failed, partial otherwise. An unfinished run is
 * "running" while the process writing it is alive on this host (or on another host, which we cannot check)
 * and "interrupted" once that process is gone: killed runs never reach finishRun.
 */
export function runStatus(run: RunStatusInput): RunStatus {
  if (run.finishedAt === null) {
    if (run.writerHost === null || run.writerPid === null) return "interrupted";
    if (run.writerHost !== hostname()) return "running";
    if (!processAlive(run.writerPid)) return "interrupted";
    // Alive, but is it still the same process? A different start token means the PID was reused.
    if (run.writerToken !== null && processStartToken(run.writerPid) !== run.writerToken) return "interrupted";
    return "running";
  }
  const statuses = run.modelStatuses;
  if (run.interrupted || statuses.includes("interrupted")) return "interrupted";
  if (statuses.length > 0 && statuses.every((s) => s === "ok")) return "ok";
  if (statuses.every((s) => s === "failed")) return "failed";
  return "partial";
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
