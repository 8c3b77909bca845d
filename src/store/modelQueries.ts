import type { ModelResult } from "../results/types.ts";
import type { ModelHistoryRow, ModelSummaryRow } from "./resultStore.ts";
import type { SqlExecutor } from "./sqlDatabase.ts";

/** The queries behind `serve`'s model pages, the same SQL on SQLite and PostgreSQL. */
export async function listModelsQuery(db: SqlExecutor, limit: number): Promise<ModelSummaryRow[]> {
  const rows = await db.all<{
    file_fingerprint: string;
    label: string;
    results: number | string;
    runs: number | string;
    machines: number | string;
    last_started_at: string;
  }>(
    `SELECT m.file_fingerprint, max(m.label) AS label, count(*) AS results, count(DISTINCT m.run_id) AS runs,
            count(DISTINCT r.machine_id) AS machines, max(r.started_at) AS last_started_at
     FROM models m JOIN runs r ON r.run_id = m.run_id
     GROUP BY m.file_fingerprint ORDER BY max(r.started_at) DESC, m.file_fingerprint LIMIT ?`,
    [Math.max(0, Math.trunc(limit))],
  );
  // PostgreSQL's count is a bigint, which its driver returns as a string.
  return rows.map((r) => ({
    fileFingerprint: r.file_fingerprint,
    label: r.label,
    results: Number(r.results),
    runs: Number(r.runs),
    machines: Number(r.machines),
    lastStartedAt: r.last_started_at,
  }));
}

export async function modelHistoryQuery(
  db: SqlExecutor,
  fingerprint: string,
  limit: number,
): Promise<ModelHistoryRow[]> {
  const rows = await db.all<{ run_id: string; started_at: string; machine_name: string | null; result_json: string }>(
    `SELECT r.run_id, r.started_at, ma.name AS machine_name, m.result_json
     FROM models m JOIN runs r ON r.run_id = m.run_id LEFT JOIN machines ma ON ma.machine_id = r.machine_id
     WHERE m.file_fingerprint = ? ORDER BY r.started_at DESC, r.run_id, m.position LIMIT ?`,
    [fingerprint, Math.max(0, Math.trunc(limit))],
  );
  return rows.reverse().flatMap((r) => {
    try {
      return [
        {
          runId: r.run_id,
          startedAt: r.started_at,
          machine: r.machine_name ?? "unknown",
          model: JSON.parse(r.result_json) as ModelResult,
        },
      ];
    } catch {
      return []; // A corrupt row is left out of a trend rather than failing the page.
    }
  });
}
