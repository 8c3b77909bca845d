import type { ModelResult } from "../results/types.ts";
import { type RunStatus, runStatus } from "./runStatus.ts";

/** A row of `runs` joined with its machine's name, as both drivers return it. */
export interface RunRow {
  run_id: string;
  started_at: string;
  finished_at: string | null;
  interrupted: number;
  hostname: string;
  cpu_model: string;
  header_json: string;
  writer_host: string | null;
  writer_pid: number | null;
  writer_token: string | null;
  machine_id: string | null;
  machine_name: string | null;
}

export function statusOfRow(row: RunRow, modelStatuses: ModelResult["status"][]): RunStatus {
  return runStatus({
    finishedAt: row.finished_at,
    interrupted: row.interrupted === 1,
    writerHost: row.writer_host,
    writerPid: row.writer_pid,
    writerToken: row.writer_token,
    modelStatuses,
  });
}
