import { engineLimitReason } from "../analysis/notMeasured.ts";
import type { CaseSettings, ModelResult, RunConfig } from "../results/types.ts";
import type { CsvRow } from "./csvRow.ts";

/** Each case setting's CSV metric id and unit, in the order the report's settings tables use. */
const SETTINGS: Record<keyof CaseSettings, { metric: string; unit: string }> = {
  engine: { metric: "engine", unit: "" },
  threads: { metric: "threads", unit: "threads" },
  batchSize: { metric: "batch_size", unit: "tokens" },
  ubatchSize: { metric: "ubatch_size", unit: "tokens" },
  flashAttention: { metric: "flash_attention", unit: "" },
  kvCacheType: { metric: "kv_cache_type", unit: "" },
  mmap: { metric: "mmap", unit: "" },
  gpuLayers: { metric: "gpu_layers", unit: "layers" },
  cache: { metric: "page_cache", unit: "" },
};

/**
 * The settings every figure of a case was measured with, as `settings` rows (join on case_id): engine, threads,
 * n_batch, n_ubatch, flash attention, KV cache type, mmap, GPU layers, page cache state, then the run's max generated
 * tokens and warm-up runs per prompt (the inference context is each row's context_size). An outside server (openai)
 * applied none of the load settings: their value is empty and a `not_measured` row says why (what was asked stays in
 * results.json).
 */
export function settingsCsvRows(m: ModelResult, config: RunConfig): CsvRow[] {
  const outside = engineLimitReason(m.settings.engine, "settings");
  const rows: CsvRow[] = [];
  for (const [key, { metric, unit }] of Object.entries(SETTINGS) as [
    keyof CaseSettings,
    (typeof SETTINGS)[keyof CaseSettings],
  ][]) {
    const applied = outside === null || key === "engine";
    rows.push({ stage: "settings", metric, value: applied ? m.settings[key] : null, unit });
    if (!applied) rows.push({ stage: "settings", metric, statistic: "not_measured", value: outside, unit: "" });
  }
  rows.push(
    { stage: "settings", metric: "max_tokens", value: config.maxTokens, unit: "tokens" },
    { stage: "settings", metric: "warmup_runs", value: config.warmupRuns, unit: "runs" },
  );
  return rows;
}
