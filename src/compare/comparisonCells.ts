import { formatNumber, MIB } from "../report/formatValue.ts";
import type { CaseSettings } from "../results/types.ts";
import type { SampleMoments } from "../stats/welch.ts";
import type { CompareUnit } from "./compareMetrics.ts";
import type { MetricComparison } from "./runComparison.ts";

/** The column heads of a comparison table, matching metricCells. */
export const METRIC_COLUMNS = ["Metric", "A", "B", "Change", "95% CI", "p", "Result"] as const;

/**
 * One metric's row of a comparison table as plain text (the caller escapes it for Markdown or HTML):
 * metric (unit), A and B as mean ± sd (n), change, 95% CI of the difference in % of A, p, verdict.
 */
export function metricCells(x: MetricComparison): string[] {
  return [
    `${x.label} (${unitLabel(x.unit)})`,
    momentsText(x.a, x.unit),
    momentsText(x.b, x.unit),
    x.changePercent === null ? signed(x.difference, x.unit) : `${signedNumber(x.changePercent, 1)}%`,
    x.ci95LowPercent === null || x.ci95HighPercent === null
      ? "—"
      : `${signedNumber(x.ci95LowPercent, 1)}% … ${signedNumber(x.ci95HighPercent, 1)}%`,
    x.p === null ? "—" : x.p < 0.001 ? "< 0.001" : x.p.toFixed(3),
    verdictText(x),
  ];
}

export function verdictText(m: MetricComparison): string {
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

export function settingsText(s: CaseSettings): string {
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

export function unitLabel(unit: CompareUnit): string {
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
