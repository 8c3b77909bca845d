import type { CaseAnalysis } from "../analysis/caseAnalysis.ts";
import { negativeSlopeWarning } from "../analysis/memoryFit.ts";
import { engineLimitReason, measuredSummary, summaryNotMeasuredReason } from "../analysis/notMeasured.ts";
import type { ContextResult, InferenceMetric } from "../results/types.ts";
import { formatNumber, GIB, MIB, TOKENS_PER_K } from "./formatValue.ts";

/**
 * THE column/metric table every format uses (hyperfine's lesson): the CSV takes `id` and the raw `unit`, the
 * Markdown and HTML tables take `label`, `displayUnit` and `display`. Adding a metric here adds it everywhere.
 */
export type RawUnit = "ms" | "bytes" | "bytes/token" | "tokens" | "tokens/s" | "fraction";
export type DisplayUnit = "s" | "ms" | "MiB" | "GiB" | "GiB/1K tokens" | "tokens" | "tokens/s" | "%";

export interface Metric<Row> {
  id: string;
  label: string;
  unit: RawUnit;
  displayUnit: DisplayUnit;
  /** The raw value; null when it was not measured (a remote endpoint's memory). */
  get: (row: Row) => number | null;
}

const SCALE: Record<DisplayUnit, { divide: number; decimals: number }> = {
  s: { divide: 1000, decimals: 2 },
  ms: { divide: 1, decimals: 1 },
  MiB: { divide: MIB, decimals: 1 },
  GiB: { divide: GIB, decimals: 3 },
  "GiB/1K tokens": { divide: GIB / TOKENS_PER_K, decimals: 4 },
  tokens: { divide: 1, decimals: 0 },
  "tokens/s": { divide: 1, decimals: 2 },
  "%": { divide: 0.01, decimals: 1 },
};

/**
 * A raw value in a metric's display unit, formatted (numbers only; the unit is in the column header); "—" for a
 * value that was not measured.
 */
export function displayValue(unit: DisplayUnit, raw: number | null, extraDecimals = 0): string {
  if (raw === null) return "—";
  const scale = SCALE[unit];
  return formatNumber(raw / scale.divide, scale.decimals + extraDecimals);
}

export function columnLabel(metric: { label: string; displayUnit: DisplayUnit }): string {
  return `${metric.label} (${metric.displayUnit})`;
}

export const INFERENCE_METRICS: Record<InferenceMetric, Metric<Record<InferenceMetric, number>>> = {
  totalMs: { id: "total_ms", label: "Total time", unit: "ms", displayUnit: "s", get: (r) => r.totalMs },
  ttftMs: { id: "ttft_ms", label: "Time to first token", unit: "ms", displayUnit: "ms", get: (r) => r.ttftMs },
  promptTokensPerSecond: {
    id: "prompt_tokens_per_second",
    label: "Prompt speed",
    unit: "tokens/s",
    displayUnit: "tokens/s",
    get: (r) => r.promptTokensPerSecond,
  },
  generationTokensPerSecond: {
    id: "generation_tokens_per_second",
    label: "Generation speed",
    unit: "tokens/s",
    displayUnit: "tokens/s",
    get: (r) => r.generationTokensPerSecond,
  },
  outputTokens: {
    id: "output_tokens",
    label: "Output",
    unit: "tokens",
    displayUnit: "tokens",
    get: (r) => r.outputTokens,
  },
  peakRssBytes: {
    id: "peak_rss_bytes",
    label: "Peak memory",
    unit: "bytes",
    displayUnit: "MiB",
    get: (r) => r.peakRssBytes,
  },
};
/** The inference metrics in the order every report lists them (results/types.ts). */
export { INFERENCE_METRIC_ORDER } from "../results/types.ts";

type OkContext = Extract<ContextResult, { status: "ok" }>;
export const CONTEXT_METRICS: Metric<OkContext>[] = [
  { id: "prompt_tokens", label: "Prompt", unit: "tokens", displayUnit: "tokens", get: (c) => c.promptTokens },
  { id: "output_tokens", label: "Output", unit: "tokens", displayUnit: "tokens", get: (c) => c.outputTokens },
  { id: "total_ms", label: "Total time", unit: "ms", displayUnit: "s", get: (c) => c.totalMs },
  { id: "ttft_ms", label: "TTFT", unit: "ms", displayUnit: "s", get: (c) => c.ttftMs },
  {
    id: "prompt_tokens_per_second",
    label: "Prompt speed",
    unit: "tokens/s",
    displayUnit: "tokens/s",
    get: (c) => c.promptTokensPerSecond,
  },
  {
    id: "generation_tokens_per_second",
    label: "Generation speed",
    unit: "tokens/s",
    displayUnit: "tokens/s",
    get: (c) => c.generationTokensPerSecond,
  },
  {
    id: "after_create_rss_bytes",
    label: "RSS after create",
    unit: "bytes",
    displayUnit: "GiB",
    get: (c) => c.afterCreateRssBytes,
  },
  { id: "peak_rss_bytes", label: "Peak memory", unit: "bytes", displayUnit: "GiB", get: (c) => c.peakRssBytes },
];

export interface LoadRow {
  durationMs: number;
  firstDecodeMs: number;
  peakRssBytes: number;
}
export const LOAD_METRICS: Metric<LoadRow>[] = [
  { id: "load_ms", label: "Load time", unit: "ms", displayUnit: "ms", get: (l) => l.durationMs },
  { id: "first_decode_ms", label: "First decode", unit: "ms", displayUnit: "ms", get: (l) => l.firstDecodeMs },
  {
    id: "load_peak_rss_bytes",
    label: "Peak RSS during load",
    unit: "bytes",
    displayUnit: "MiB",
    get: (l) => l.peakRssBytes,
  },
];

/** The /proc/<pid>/status fields of a memory snapshot, in the order every table shows them. */
export const SNAPSHOT_METRICS: Metric<{
  vmRssBytes: number;
  rssAnonBytes: number;
  rssFileBytes: number;
  vmHwmBytes: number;
}>[] = [
  { id: "vm_rss_bytes", label: "VmRSS", unit: "bytes", displayUnit: "MiB", get: (s) => s.vmRssBytes },
  { id: "rss_anon_bytes", label: "RssAnon", unit: "bytes", displayUnit: "MiB", get: (s) => s.rssAnonBytes },
  { id: "rss_file_bytes", label: "RssFile", unit: "bytes", displayUnit: "MiB", get: (s) => s.rssFileBytes },
  { id: "vm_hwm_bytes", label: "VmHWM", unit: "bytes", displayUnit: "MiB", get: (s) => s.vmHwmBytes },
];

export const CLEANUP_METRICS: Metric<{ releasedBytes: number; releasedFraction: number }>[] = [
  { id: "released_bytes", label: "Released", unit: "bytes", displayUnit: "MiB", get: (c) => c.releasedBytes },
  {
    id: "released_fraction",
    label: "Released share",
    unit: "fraction",
    displayUnit: "%",
    get: (c) => c.releasedFraction,
  },
];

/**
 * A column of the summary table at the top of the report: one figure per model × settings case, null when the
 * case did not measure it (its status says why). `interval` is the 95% CI shown beside the mean.
 */
export interface SummaryMetric {
  id: string;
  label: string;
  unit: RawUnit;
  displayUnit: DisplayUnit;
  get: (c: CaseAnalysis) => number | null;
  interval?: (c: CaseAnalysis) => { low: number; high: number } | null;
  /** What the figure is, with the settings it was measured at: printed under the table. */
  definition: string;
  /** Why `get` gave null for this case: printed as a footnote to its "—". */
  missing: (c: CaseAnalysis) => string;
  /** Why a figure printed for this case cannot be right (a ⚠ beside it, the warning under the table); null when none. */
  warning?: (c: CaseAnalysis) => string | null;
}

/** A summary of at least one value, or null: n = 0 means not measured (a remote endpoint's memory). */
export const measured = measuredSummary;

const inferenceMean = (key: InferenceMetric, definition: string, withInterval: boolean): SummaryMetric => {
  const metric = INFERENCE_METRICS[key];
  return {
    id: metric.id,
    label: metric.label,
    unit: metric.unit,
    displayUnit: metric.displayUnit,
    get: (c) => measured(c.model.inference?.summaries[key])?.mean ?? null,
    ...(withInterval
      ? {
          interval: (c: CaseAnalysis) => {
            const s = measured(c.model.inference?.summaries[key]);
            return s ? { low: s.ci95Low, high: s.ci95High } : null;
          },
        }
      : {}),
    definition,
    missing: (c) => summaryNotMeasuredReason(c.model, key),
  };
};

/** The summary table's figures, in column order (the model, settings and status columns frame them). */
export const SUMMARY_METRICS: SummaryMetric[] = [
  inferenceMean(
    "generationTokensPerSecond",
    "generated tokens ÷ generation time, mean over the timed runs of every prompt (warm-up excluded), with its 95% CI",
    true,
  ),
  inferenceMean("promptTokensPerSecond", "prompt tokens ÷ prompt processing time, mean with its 95% CI", true),
  inferenceMean("ttftMs", "time from the request to the first generated token (prefill + first decode), mean", false),
  {
    id: "load_ms",
    label: "Load time",
    unit: "ms",
    displayUnit: "ms",
    get: (c) => c.model.load?.durationMs ?? null,
    definition: "time to load the weights (the first decode after it is timed apart, in the model's details)",
    missing: (c) =>
      engineLimitReason(c.model.settings.engine, "load") ?? "the model did not load (see the case's status and errors)",
  },
  {
    id: "peak_rss_bytes",
    label: "Peak memory",
    unit: "bytes",
    displayUnit: "GiB",
    get: (c) => measured(c.model.inference?.summaries.peakRssBytes)?.max ?? null,
    definition:
      "highest resident memory (RSS) of the model's process during the inference stage, read from /proc/<pid>/status",
    missing: (c) => summaryNotMeasuredReason(c.model, "peakRssBytes"),
  },
  {
    id: "memory_fit_slope_bytes_per_token",
    label: "Memory per context",
    unit: "bytes/token",
    displayUnit: "GiB/1K tokens",
    get: (c) => (c.fit.kind === "fit" ? c.fit.slopeBytesPerToken : null),
    definition:
      "slope of the least-squares fit of peak memory over the context sizes that ran (see Memory vs context trade-offs)",
    missing: (c) => `no fit: ${c.fit.kind === "none" ? c.fit.reason : "none"}`,
    warning: (c) => {
      const warning = negativeSlopeWarning(c.fit);
      return warning === null ? null : `${c.name}: ${warning}`;
    },
  },
];
