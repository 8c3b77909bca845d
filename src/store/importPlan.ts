import { GgufBenchError } from "../errors.ts";
import { caseStatus } from "../results/caseStatus.ts";
import type { ModelResult, RunResults } from "../results/types.ts";
import { type RunRow, statusOfRow } from "./runRow.ts";

/** What importing a results file into a database that already holds its run comes to. */
export type ImportPlan = { kind: "exists" } | { kind: "completed"; added: number };

/**
 * The stored part of a run must be a part of the file: every stored case is matched to one case of the
 * file (by case id, fingerprint, the child's pid and wall time: one execution). When the file has more
 * cases, or has ended where the stored run has not, the run is completed from the file. A stored case the
 * file lacks means the two are different records of the run: refused, nothing changed. A run still being
 * written by a live process is refused too.
 */
export function planImport(file: RunResults, row: RunRow, stored: ModelResult[], display: string): ImportPlan {
  const id = file.runId.slice(0, 8);
  if (statusOfRow(row, stored.map(caseStatus)) === "running") {
    throw new GgufBenchError(
      "run-in-progress",
      `run ${id} is still being written to ${display} (by process ${row.writer_pid} on ${row.writer_host}); import it once that run has ended`,
    );
  }
  const unmatched = new Map<string, number>();
  for (const model of file.models) unmatched.set(caseKey(model), (unmatched.get(caseKey(model)) ?? 0) + 1);
  for (const model of stored) {
    const left = unmatched.get(caseKey(model)) ?? 0;
    if (left === 0) {
      throw new GgufBenchError(
        "run-conflict",
        `run ${id} in ${display} holds a result (${model.caseId}) that the file does not: they are different records of the run; nothing imported`,
      );
    }
    unmatched.set(caseKey(model), left - 1);
  }
  const added = file.models.length - stored.length;
  const endDiffers =
    (file.finishedAt !== null && row.finished_at === null) || file.interrupted !== (row.interrupted === 1);
  if (added === 0 && !endDiffers) return { kind: "exists" };
  return { kind: "completed", added };
}

function caseKey(model: ModelResult): string {
  return JSON.stringify([
    model.caseId,
    model.fileFingerprint,
    model.process?.pid ?? null,
    model.process?.wallMs ?? null,
  ]);
}
