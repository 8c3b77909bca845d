import type { ModelResult } from "../results/types.ts";
import { BUSY_STAGE_FRACTION, busyWarning, reportsFigures } from "../stats/busyStages.ts";
import { formatDuration, formatPercent } from "./formatValue.ts";
import { type Block, numberCell, textCell } from "./reportDocument.ts";

/**
 * A case's stages with the share of the cores other processes took during each (absent from files before
 * 2026-11-30: then nothing), and the busy-machine warning right under the model's first line when a stage passed
 * BUSY_STAGE_FRACTION.
 */
export function otherCpuBlocks(m: ModelResult, id: string): Block[] {
  const stages = m.otherCpu ?? [];
  if (stages.length === 0) return [];
  return [
    { kind: "heading", level: 4, text: "CPU used by other processes" },
    {
      kind: "table",
      id: `${id}-other-cpu`,
      columns: [
        { label: "Stage", numeric: false },
        { label: "Wall time", numeric: true },
        { label: "Other processes (share of all cores)", numeric: true },
      ],
      rows: stages.map((s) => [
        textCell(s.detail ? `${s.stage}: ${s.detail}` : s.stage),
        numberCell(formatDuration(s.wallMs), s.wallMs),
        s.otherCpuFraction === null
          ? textCell(`— not measured: ${s.unmeasuredReason ?? "unknown"}`)
          : numberCell(formatPercent(s.otherCpuFraction), s.otherCpuFraction),
      ]),
    },
    {
      kind: "paragraph",
      text: `Read from /proc at each stage's start and end: the machine's busy CPU time minus gguf-bench's own processes', over every core's time. Above ${formatPercent(BUSY_STAGE_FRACTION)} the stage's figures are flagged.${stages.some((s) => !reportsFigures(s)) ? " The engine warm-up is never flagged: it is untimed and none of its figures are reported (a busy one may only warm up less in its time budget)." : ""}`,
    },
  ];
}

/** The busy-machine warning as one line for a model's details and the summary; null when no stage was busy. */
export function busyWarningText(m: ModelResult): string | null {
  const warning = busyWarning(m);
  return warning ? `${warning.code}: ${warning.message} — ${warning.hint}` : null;
}
