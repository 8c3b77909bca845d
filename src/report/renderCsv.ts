import { analyzeRuns, type CaseAnalysis } from "../analysis/caseAnalysis.ts";
import { negativeSlopeWarning } from "../analysis/memoryFit.ts";
import { measuredSummary, rateMissingReason, summaryNotMeasuredReason } from "../analysis/notMeasured.ts";
import type {
  KldResult,
  MemorySnapshot,
  QualityMeasured,
  QualityResult,
  RunResults,
  ServerTimings,
  Summary,
} from "../results/types.ts";
import { csvLine } from "./csvField.ts";
import type { CsvRow, CsvValue } from "./csvRow.ts";
import {
  CLEANUP_METRICS,
  CONTEXT_METRICS,
  INFERENCE_METRIC_ORDER,
  INFERENCE_METRICS,
  LOAD_METRICS,
  type Metric,
  SNAPSHOT_METRICS,
} from "./metrics.ts";
import { otherCpuCsvRows } from "./otherCpuCsvRows.ts";
import { settingsCsvRows } from "./settingsCsvRows.ts";

export const CSV_COLUMNS = [
  "run_id",
  "case_id",
  "model",
  "synthetic",
  "stage",
  "context_size",
  "prompt_id",
  "run",
  "metric",
  "statistic",
  "value",
  "unit",
  "stage_detail",
] as const;

const SUMMARY_STATISTICS: (keyof Summary)[] = ["n", "mean", "sd", "min", "max", "median", "ci95Low", "ci95High", "cv"];

/**
 * Tidy long format: one row per case × stage × measurement, raw units (ms, bytes, tokens/s), metric ids
 * from the shared metric table. Inference rows are the individual samples (run −1 is the warm-up) and
 * their summaries (statistic column), then the timed runs per prompt and why they stopped (runs_per_prompt,
 * runs_stop_reason: fixed | ci-within-target | max-runs | time-budget, empty in files from before --runs auto).
 * A summary of no value (n = 0: an outside server's memory) has its n, empty statistics and a `not_measured` row
 * with the reason; an unmeasured value is an empty field, never 0. A speed a sample or a context size could not
 * time (null: an empty span) is an empty field followed by a `not_measured` row with the reason.
 * Each case's settings are `settings` rows (settingsCsvRows) and other processes' CPU share per stage, with the
 * busy-machine warning, are `other_cpu_*` rows naming the step in `stage_detail` (otherCpuCsvRows).
 * CRLF line ends per RFC 4180.
 */
export function renderCsv(runs: RunResults[]): string {
  const lines = [csvLine([...CSV_COLUMNS])];
  const configs = new Map(runs.map((run) => [run.runId, run.config]));
  for (const c of analyzeRuns(runs).cases) {
    const config = configs.get(c.runId);
    const settings = config ? settingsCsvRows(c.model, config) : [];
    for (const row of [...settings, ...caseRows(c), ...otherCpuCsvRows(c.model)]) {
      lines.push(
        csvLine([
          c.runId,
          c.model.caseId,
          c.name,
          c.model.synthetic,
          row.stage,
          row.contextSize ?? null,
          row.promptId ?? null,
          row.run ?? null,
          row.metric,
          row.statistic ?? "value",
          row.value,
          row.unit,
          row.stageDetail ?? null,
        ]),
      );
    }
  }
  return `${lines.join("\r\n")}\r\n`;
}

function metricRows<T>(
  stage: string,
  metrics: Metric<T>[],
  row: T,
  extra: Partial<CsvRow> = {},
  prefix = "",
): CsvRow[] {
  return metrics.map((m) => ({ stage, metric: `${prefix}${m.id}`, value: m.get(row), unit: m.unit, ...extra }));
}

/** A server's own timings of one request (llama-server `timings`), beside the client's figures. */
function serverRows(stage: string, t: ServerTimings, extra: Partial<CsvRow>): CsvRow[] {
  return [
    { stage, metric: "server_prompt_tokens", value: t.promptTokens, unit: "tokens", ...extra },
    { stage, metric: "server_prompt_ms", value: t.promptMs, unit: "ms", ...extra },
    { stage, metric: "server_predicted_tokens", value: t.predictedTokens, unit: "tokens", ...extra },
    { stage, metric: "server_predicted_ms", value: t.predictedMs, unit: "ms", ...extra },
  ];
}

function snapshotRows(stage: string, prefix: string, snap: MemorySnapshot): CsvRow[] {
  return metricRows(stage, SNAPSHOT_METRICS, snap, {}, prefix);
}

/** The context stage's speeds and their CSV metric ids: an empty span leaves them null, with a `not_measured` row. */
const CONTEXT_RATE_IDS = [
  ["promptTokensPerSecond", "prompt_tokens_per_second"],
  ["generationTokensPerSecond", "generation_tokens_per_second"],
] as const;

function caseRows(c: CaseAnalysis): CsvRow[] {
  const m = c.model;
  const i = m.info;
  const rows: CsvRow[] = [
    { stage: "metadata", metric: "file_bytes", value: i.fileBytes, unit: "bytes" },
    { stage: "metadata", metric: "parameter_count", value: i.parameterCount, unit: "parameters" },
    { stage: "metadata", metric: "training_context", value: i.contextLength, unit: "tokens" },
    {
      stage: "metadata",
      metric: "kv_bytes_per_token",
      value: i.kvBytesPerToken?.[m.settings.kvCacheType] ?? null,
      unit: "bytes/token",
    },
    { stage: "process", metric: "outcome", value: m.process.outcome, unit: "" },
    { stage: "process", metric: "wall_ms", value: m.process.wallMs, unit: "ms" },
  ];
  if (i.moe)
    rows.push({ stage: "metadata", metric: "moe_fraction_active", value: i.moe.fractionActive, unit: "fraction" });
  if (m.load) {
    rows.push(...metricRows("load", LOAD_METRICS, m.load));
    rows.push(...snapshotRows("load", "before_", m.load.before), ...snapshotRows("load", "after_", m.load.after));
  }
  if (m.inference) {
    const ctx = m.inference.contextSize;
    for (const s of m.inference.samples) {
      for (const key of INFERENCE_METRIC_ORDER) {
        const metric = INFERENCE_METRICS[key];
        const at = { stage: "inference", contextSize: ctx, promptId: s.promptId, run: s.run, metric: metric.id };
        rows.push({ ...at, value: s[key], unit: metric.unit });
        const why =
          key === "promptTokensPerSecond" || key === "generationTokensPerSecond" ? rateMissingReason(s, key) : null;
        if (why !== null) rows.push({ ...at, statistic: "not_measured", value: why, unit: "" });
      }
      if (s.server)
        rows.push(...serverRows("inference", s.server, { contextSize: ctx, promptId: s.promptId, run: s.run }));
    }
    for (const key of INFERENCE_METRIC_ORDER) {
      const metric = INFERENCE_METRICS[key];
      const summary = m.inference.summaries[key];
      const reason = measuredSummary(summary) === null ? summaryNotMeasuredReason(m, key) : null;
      for (const stat of SUMMARY_STATISTICS) {
        const unit = stat === "n" ? "samples" : stat === "cv" ? "fraction" : metric.unit;
        rows.push({
          stage: "inference",
          contextSize: ctx,
          metric: metric.id,
          statistic: stat,
          // n = 0: nothing measured; its other fields are zeros that are no figures, so they stay empty.
          value: reason !== null && stat !== "n" ? null : summary[stat],
          unit,
        });
      }
      if (reason !== null)
        rows.push({
          stage: "inference",
          contextSize: ctx,
          metric: metric.id,
          statistic: "not_measured",
          value: reason,
          unit: "",
        });
    }
  }
  if (c.runs) {
    const ctx = m.inference?.contextSize ?? null;
    rows.push(
      { stage: "inference", contextSize: ctx, metric: "runs_per_prompt", value: c.runs.runsPerPrompt, unit: "runs" },
      { stage: "inference", contextSize: ctx, metric: "runs_stop_reason", value: c.runs.reason, unit: "" },
    );
  }
  for (const x of m.contexts) {
    rows.push({
      stage: "contexts",
      contextSize: x.contextSize,
      metric: "status",
      value: x.status === "error" ? `error: ${x.code}` : x.status,
      unit: "",
    });
    if (x.status === "ok") {
      rows.push(...metricRows("contexts", CONTEXT_METRICS, x, { contextSize: x.contextSize }));
      for (const [key, id] of CONTEXT_RATE_IDS) {
        const why = rateMissingReason(x, key);
        if (why !== null)
          rows.push({
            stage: "contexts",
            contextSize: x.contextSize,
            metric: id,
            statistic: "not_measured",
            value: why,
            unit: "",
          });
      }
    }
    if (x.status === "ok" && x.server) rows.push(...serverRows("contexts", x.server, { contextSize: x.contextSize }));
  }
  for (const level of m.concurrency) {
    const prefix = `concurrency_${level.concurrency}_`;
    if (level.status !== "ok") {
      const value = level.status === "error" ? `error: ${level.code}` : "unsupported";
      rows.push({ stage: "concurrency", metric: `${prefix}status`, value, unit: "" });
      continue;
    }
    rows.push(
      { stage: "concurrency", metric: `${prefix}requests`, value: level.requests, unit: "requests" },
      { stage: "concurrency", metric: `${prefix}errors`, value: level.errorCount, unit: "requests" },
      { stage: "concurrency", metric: `${prefix}duration_ms`, value: level.durationMs, unit: "ms" },
      {
        stage: "concurrency",
        metric: `${prefix}requests_per_second`,
        value: level.requestsPerSecond,
        unit: "requests/s",
      },
      {
        stage: "concurrency",
        metric: `${prefix}output_tokens_per_second`,
        value: level.outputTokensPerSecond,
        unit: "tokens/s",
      },
      { stage: "concurrency", metric: `${prefix}peak_rss_bytes`, value: level.peakRssBytes, unit: "bytes" },
    );
    for (const [name, summary] of [
      ["ttft_ms", level.ttftMs],
      ["itl_ms", level.itlMs],
      ["e2e_ms", level.e2eMs],
    ] as const)
      for (const stat of [...SUMMARY_STATISTICS, "p50", "p90", "p99"] as const)
        rows.push({
          stage: "concurrency",
          metric: `${prefix}${name}`,
          statistic: stat,
          // n = 0 (e.g. ITL when every request produced one token): no figure, not 0.
          value: summary.n === 0 && stat !== "n" ? null : summary[stat],
          unit: stat === "n" ? "requests" : stat === "cv" ? "fraction" : "ms",
        });
    // Finished requests without an ITL (null: one token, or all in one chunk); absent in older files.
    if (level.itlNotMeasured) {
      const { requests, reasons } = level.itlNotMeasured;
      rows.push({ stage: "concurrency", metric: `${prefix}itl_not_measured`, value: requests, unit: "requests" });
      if (requests > 0)
        rows.push({
          stage: "concurrency",
          metric: `${prefix}itl_ms`,
          statistic: "not_measured",
          value: `${requests} finished request(s) without an ITL: ${reasons.join("; ")}`,
          unit: "",
        });
    }
  }
  rows.push(...qualityRows(m.quality ?? null));
  if (m.cleanup) {
    rows.push(...metricRows("cleanup", CLEANUP_METRICS, m.cleanup));
    rows.push(
      ...snapshotRows("cleanup", "before_", m.cleanup.before),
      ...snapshotRows("cleanup", "after_", m.cleanup.after),
    );
  }
  if (c.fit.kind === "fit") {
    rows.push(
      { stage: "analysis", metric: "memory_fit_points", value: c.fit.n, unit: "contexts" },
      { stage: "analysis", metric: "memory_fit_base_bytes", value: c.fit.baseBytes, unit: "bytes" },
      {
        stage: "analysis",
        metric: "memory_fit_slope_bytes_per_token",
        value: c.fit.slopeBytesPerToken,
        unit: "bytes/token",
      },
      { stage: "analysis", metric: "memory_fit_r2", value: c.fit.r2, unit: "" },
      { stage: "analysis", metric: "memory_fit_vs_kv_percent", value: c.fit.differencePercent, unit: "%" },
    );
  }
  const negative = negativeSlopeWarning(c.fit);
  if (negative !== null)
    rows.push({
      stage: "analysis",
      metric: "memory_fit_slope_bytes_per_token",
      statistic: "warning",
      value: negative,
      unit: "",
    });
  if (c.fit.kind === "none")
    rows.push({
      stage: "analysis",
      metric: "memory_fit_slope_bytes_per_token",
      statistic: "not_measured",
      value: `no fit: ${c.fit.reason}`,
      unit: "",
    });
  if (c.timeScaling) {
    rows.push({
      stage: "analysis",
      metric: "time_factor_per_doubling",
      value: c.timeScaling.factorPerDoubling,
      unit: "ratio",
    });
  }
  for (const p of c.roofline) {
    rows.push({
      stage: "roofline",
      contextSize: p.contextSize,
      metric: "roofline_fraction",
      value: p.fraction,
      unit: "fraction",
    });
  }
  return rows;
}

/**
 * The quality stage's figures in CSV order: metric id, unit, and the field that holds the value — of
 * QualityMeasured, or (`{ kld }`: rows only against a reference) of its KldResult.
 */
const QUALITY_FIGURES = [
  ["context_size", "tokens", "contextSize"],
  ["scored_tokens", "tokens", "scoredTokens"],
  ["duration_ms", "ms", "durationMs"],
  ["ms_per_scored_token", "ms", "msPerScoredToken"],
  ["peak_rss_bytes", "bytes", "peakRssBytes"],
  ["perplexity", "", "perplexity"],
  ["perplexity_standard_error", "", "perplexityStandardError"],
  ["reference", "", { kld: "referenceLabel" }],
  ["kld_mean", "nats", { kld: "meanNats" }],
  ["kld_standard_error", "nats", { kld: "standardErrorNats" }],
  ["kld_median", "nats", { kld: "medianNats" }],
  ["kld_p99", "nats", { kld: "p99Nats" }],
  ["kld_max", "nats", { kld: "maxNats" }],
  ["same_top", "fraction", { kld: "sameTopFraction" }],
  ["rms_delta_p", "fraction", { kld: "rmsDeltaP" }],
  ["reference_perplexity", "", { kld: "referencePerplexity" }],
] as const satisfies readonly (readonly [string, string, keyof QualityMeasured | { kld: keyof KldResult }])[];

/** The quality stage: its status, then perplexity and (against a reference) the KLD figures, in raw units. */
function qualityRows(q: QualityResult | null): CsvRow[] {
  if (q === null) return [];
  const at = (metric: string, value: CsvValue, unit: string): CsvRow => ({ stage: "quality", metric, value, unit });
  if (q.status !== "ok") return [at("status", q.status === "error" ? `error: ${q.code}` : "skipped", "")];
  const k = q.kld;
  const rows = [at("status", "ok", "")];
  for (const [metric, unit, field] of QUALITY_FIGURES) {
    if (typeof field === "string") rows.push(at(metric, q[field], unit));
    else if (k) rows.push(at(metric, k[field.kld], unit));
  }
  return rows;
}
