import type { ModelResult } from "../results/types.ts";
import { BUSY_STAGE_FRACTION, busyStages } from "../stats/busyStages.ts";
import type { CsvRow } from "./csvRow.ts";

/**
 * Other processes' share of all cores during each stage of a case (ModelResult.otherCpu, in the order the stages
 * ran): `other_cpu_fraction` (0–1) and `wall_ms` rows in the stage's own `stage` column, `stage_detail` naming the
 * step (`512 tokens`, `concurrency 2`). A share not measured is empty with a `not_measured` row giving the reason; a
 * share above BUSY_STAGE_FRACTION gets a `warning` row (busy-machine), as the report flags the stage. Nothing for
 * files from before 2026-11-30.
 */
export function otherCpuCsvRows(m: ModelResult): CsvRow[] {
  const busy = busyStages(m);
  const rows: CsvRow[] = [];
  for (const s of m.otherCpu ?? []) {
    const at = { stage: s.stage, stageDetail: s.detail, metric: "other_cpu_fraction" };
    rows.push(
      { ...at, metric: "other_cpu_wall_ms", value: s.wallMs, unit: "ms" },
      { ...at, value: s.otherCpuFraction, unit: "fraction" },
    );
    if (s.otherCpuFraction === null)
      rows.push({ ...at, statistic: "not_measured", value: s.unmeasuredReason ?? "unknown", unit: "" });
    if (busy.includes(s))
      rows.push({
        ...at,
        statistic: "warning",
        value: `busy-machine: other processes used ${Math.round((s.otherCpuFraction ?? 0) * 100)}% of the cores (above ${BUSY_STAGE_FRACTION * 100}%); this stage's figures are not this machine's real speed`,
        unit: "",
      });
  }
  return rows;
}
