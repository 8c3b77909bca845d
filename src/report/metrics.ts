import type { ContextResult, InferenceMetric } from "../results/types.ts";
import { formatNumber, GIB, MIB } from "./formatValue.ts";

/**
 * THE column/metric table every format uses (hyperfine's lesson): the CSV takes `id` and the raw `unit`, the
 * Markdown and HTML tables take `label`, `displayUnit` and `display`. Adding a metric here adds it everywhere.
 */
export type RawUnit = "ms" | "bytes" | "tokens" | "tokens/s" | "fraction";
export type DisplayUnit = "s" | "ms" | "MiB" | "GiB" | "tokens" | "tokens/s" | "%";

export interface Metric<Row> {
  id: string;
  label: string;
  unit: RawUnit;
  displayUnit: DisplayUnit;
  get: (row: Row) => number;
}

const SCALE: Record<DisplayUnit, { divide: number; decimals: number }> = {
  s: { divide: 1000, decimals: 2 },
  ms: { divide: 1, decimals: 1 },
  MiB: { divide: MIB, decimals: 1 },
  GiB: { divide: GIB, decimals: 3 },
  tokens: { divide: 1, decimals: 0 },
  "tokens/s": { divide: 1, decimals: 2 },
  "%": { divide: 0.01, decimals: 1 },
};

/** A raw value in a metric's display unit, formatted (numbers only; the unit is in the column header). */
export function displayValue(unit: DisplayUnit, raw: number, extraDecimals = 0): string {
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
export const INFERENCE_METRIC_ORDER: InferenceMetric[] = [
  "totalMs",
  "ttftMs",
  "promptTokensPerSecond",
  "generationTokensPerSecond",
  "outputTokens",
  "peakRssBytes",
];

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
