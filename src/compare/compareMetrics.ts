import type { InferenceMetric, ModelResult } from "../results/types.ts";
import type { SampleMoments } from "../stats/welch.ts";

/** Which way is good: a regression is a significant move the other way. Output tokens are neither. */
export type Better = "higher" | "lower" | "neither";
export type CompareUnit = "ms" | "bytes" | "tokens" | "tokens/s";

export interface CompareMetric {
  /** Stable id used in JSON output, e.g. "inference.generationTokensPerSecond", "context.2048.totalMs". */
  id: string;
  label: string;
  unit: CompareUnit;
  better: Better;
}

/** One figure of one model × settings case: a summary of n runs, or a single measurement (n = 1). */
export interface MetricValue {
  metric: CompareMetric;
  moments: SampleMoments;
}

const INFERENCE: Record<InferenceMetric, Omit<CompareMetric, "id">> = {
  generationTokensPerSecond: { label: "Generation speed", unit: "tokens/s", better: "higher" },
  promptTokensPerSecond: { label: "Prompt speed", unit: "tokens/s", better: "higher" },
  ttftMs: { label: "Time to first token", unit: "ms", better: "lower" },
  totalMs: { label: "Total time", unit: "ms", better: "lower" },
  peakRssBytes: { label: "Peak memory", unit: "bytes", better: "lower" },
  outputTokens: { label: "Output tokens", unit: "tokens", better: "neither" },
};

const LOAD = [
  { key: "durationMs", label: "Load time", unit: "ms", better: "lower" },
  { key: "firstDecodeMs", label: "First decode", unit: "ms", better: "lower" },
  { key: "peakRssBytes", label: "Peak memory during load", unit: "bytes", better: "lower" },
] as const;

const CONTEXT = [
  { key: "generationTokensPerSecond", label: "Generation speed", unit: "tokens/s", better: "higher" },
  { key: "promptTokensPerSecond", label: "Prompt speed", unit: "tokens/s", better: "higher" },
  { key: "ttftMs", label: "Time to first token", unit: "ms", better: "lower" },
  { key: "totalMs", label: "Total time", unit: "ms", better: "lower" },
  { key: "peakRssBytes", label: "Peak memory", unit: "bytes", better: "lower" },
] as const;

const single = (value: number): SampleMoments => ({ n: 1, mean: value, sd: 0 });

/**
 * Every comparable figure of a case, in display order: the inference summaries (n timed runs each, the
 * only ones Welch's test can judge), then the load, then each context size that ran (single measurements).
 */
export function metricValues(model: ModelResult): MetricValue[] {
  const values: MetricValue[] = [];
  const summaries = model.inference?.summaries;
  if (summaries) {
    for (const [key, metric] of Object.entries(INFERENCE) as [InferenceMetric, Omit<CompareMetric, "id">][]) {
      const s = summaries[key];
      // n = 0: not measured on this engine (a remote endpoint's memory), nothing to compare.
      if (s.n === 0) continue;
      values.push({ metric: { id: `inference.${key}`, ...metric }, moments: { n: s.n, mean: s.mean, sd: s.sd } });
    }
  }
  if (model.load) {
    for (const { key, ...metric } of LOAD) {
      values.push({ metric: { id: `load.${key}`, ...metric }, moments: single(model.load[key]) });
    }
  }
  for (const context of model.contexts) {
    if (context.status !== "ok") continue;
    for (const { key, label, ...metric } of CONTEXT) {
      const value = context[key];
      if (value === null) continue;
      values.push({
        metric: {
          id: `context.${context.contextSize}.${key}`,
          label: `${label} at context ${context.contextSize}`,
          ...metric,
        },
        moments: single(value),
      });
    }
  }
  return values;
}
