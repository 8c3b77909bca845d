import { markdownTable } from "markdown-table";
import { escapeMarkdown as esc } from "../report/escapeMarkdown.ts";
import { formatNumber, MIB } from "../report/formatValue.ts";
import type { CaseSettings, Warning } from "../results/types.ts";
import type { SampleMoments } from "../stats/welch.ts";
import type { CompareUnit } from "./compareMetrics.ts";
import type { MetricComparison, ModelComparison, ModelRef, RunComparison, RunSide, Verdict } from "./runComparison.ts";

/** `compare --format md`: pure; every string that came from a run (labels, hosts, CPUs, ids) is escaped. */
export function renderComparisonMarkdown(c: RunComparison): string {
  const out: string[] = ["# gguf-bench comparison", ""];
  out.push(
    markdownTable(
      [["", "Run", "Started", "Machine", "CPU", "llama.cpp", "From"], sideRow("A (baseline)", c.a), sideRow("B", c.b)],
      { stringLength: displayWidth },
    ),
    "",
  );
  const tested = c.models.flatMap((m) => m.metrics).filter((m) => m.verdict !== "not-tested");
  const count = (v: Verdict) => tested.filter((m) => m.verdict === v).length;
  out.push(
    `Change is B relative to A. A change is called significant only when Welch's t-test gives p < ${c.significanceLevel}; ` +
      "the interval is the 95% confidence interval of the difference B − A, in % of A. " +
      `Tested figures: ${tested.length}; significantly better: ${count("improved")}, worse: ${count("regressed")}, ` +
      `changed: ${count("changed")}. Single measurements (load, per-context figures) show the change only.`,
    "",
  );
  if (c.warnings.length > 0) out.push("## Warnings", "", ...c.warnings.map(warningLine), "");
  for (const model of c.models) out.push(...modelSection(model));
  if (c.onlyInA.length > 0) out.push("## Only in A", "", ...c.onlyInA.map(refLine), "");
  if (c.onlyInB.length > 0) out.push("## Only in B", "", ...c.onlyInB.map(refLine), "");
  if (c.models.length === 0) out.push("No model appears in both runs.", "");
  return `${out.join("\n").trimEnd()}\n`;
}

function sideRow(name: string, s: RunSide): string[] {
  return [
    name,
    esc(s.runId.slice(0, 8)),
    esc(s.startedAt),
    esc(s.hostname),
    esc(s.cpuModel),
    esc(s.llamaCppBuild),
    esc(s.source),
  ];
}

function modelSection(m: ModelComparison): string[] {
  const title = m.a.label === m.b.label ? esc(m.a.label) : `${esc(m.a.label)} → ${esc(m.b.label)}`;
  const lines = [
    `## ${title}`,
    "",
    `Cases: A ${esc(m.a.caseId)}, B ${esc(m.b.caseId)}; matched by ${m.matchedBy === "fingerprint" ? "file fingerprint" : "name"}. ` +
      `Settings: ${settingsText(m.settingsA)}.`,
    "",
  ];
  if (m.warnings.length > 0) lines.push(...m.warnings.map(warningLine), "");
  if (m.metrics.length === 0) return [...lines, "No figure was measured in both runs.", ""];
  const rows = m.metrics.map((x) => [
    `${x.label} (${unitLabel(x.unit)})`,
    momentsText(x.a, x.unit),
    momentsText(x.b, x.unit),
    x.changePercent === null ? signed(x.difference, x.unit) : `${signedNumber(x.changePercent, 1)}%`,
    x.ci95LowPercent === null || x.ci95HighPercent === null
      ? "—"
      : `${signedNumber(x.ci95LowPercent, 1)}% … ${signedNumber(x.ci95HighPercent, 1)}%`,
    x.p === null ? "—" : x.p < 0.001 ? "< 0.001" : x.p.toFixed(3),
    verdictText(x),
  ]);
  lines.push(
    markdownTable([["Metric", "A", "B", "Change", "95% CI", "p", "Result"], ...rows], {
      align: ["l", "r", "r", "r", "r", "r", "l"],
      stringLength: displayWidth,
    }),
    "",
  );
  return lines;
}

function verdictText(m: MetricComparison): string {
  switch (m.verdict) {
    case "improved":
      return "better ✅";
    case "regressed":
      return "worse ❌";
    case "changed":
      return "changed";
    case "no-significant-change":
      return "no significant change";
    case "not-tested":
      return m.a.n < 2 || m.b.n < 2 ? "single measurement" : "not tested (no variance)";
  }
}

function warningLine(w: Warning): string {
  return `- ⚠️ ${esc(w.message)} — ${esc(w.hint)}.`;
}

function refLine(r: ModelRef): string {
  return `- ${esc(r.label)} (case ${esc(r.caseId)}, ${r.status})`;
}

function settingsText(s: CaseSettings): string {
  return [
    `threads ${s.threads}`,
    `batch ${s.batchSize}/${s.ubatchSize}`,
    `flash attention ${s.flashAttention ? "on" : "off"}`,
    `KV ${s.kvCacheType}`,
    `mmap ${s.mmap ? "on" : "off"}`,
    `GPU layers ${s.gpuLayers}`,
    `${s.cache} cache`,
  ].join(", ");
}

const DISPLAY: Record<CompareUnit, { label: string; divide: number; decimals: number }> = {
  "tokens/s": { label: "tokens/s", divide: 1, decimals: 2 },
  ms: { label: "ms", divide: 1, decimals: 1 },
  bytes: { label: "MiB", divide: MIB, decimals: 1 },
  tokens: { label: "tokens", divide: 1, decimals: 1 },
};

function unitLabel(unit: CompareUnit): string {
  return DISPLAY[unit].label;
}

function value(raw: number, unit: CompareUnit): string {
  return formatNumber(raw / DISPLAY[unit].divide, DISPLAY[unit].decimals);
}

function momentsText(m: SampleMoments, unit: CompareUnit): string {
  return m.n > 1 ? `${value(m.mean, unit)} ± ${value(m.sd, unit)} (n = ${m.n})` : value(m.mean, unit);
}

function signed(raw: number, unit: CompareUnit): string {
  return `${raw > 0 ? "+" : ""}${value(raw, unit)}`;
}

function signedNumber(x: number, decimals: number): string {
  return `${x > 0 ? "+" : ""}${formatNumber(x, decimals)}`;
}

/**
 * Terminal columns of a cell, so tables line up where they are read (and as Markdown formatters pad them):
 * emoji and East Asian wide characters take two, combining marks and variation selectors none.
 */
function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (/\p{Mark}|\u200d/u.test(char) || (code >= 0xfe00 && code <= 0xfe0f)) continue;
    width +=
      /\p{Emoji_Presentation}|[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60\uffe0-\uffe6]/u.test(
        char,
      )
        ? 2
        : 1;
  }
  return width;
}
