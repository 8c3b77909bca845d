import { rateNotMeasuredReason } from "../metrics/requestMetrics.ts";
import type { EngineName, ModelResult, Summary } from "../results/types.ts";

/** What an engine cannot measure by its nature (not because something failed). */
export type EngineLimit = "memory" | "load" | "cleanup" | "settings";

/**
 * Why an engine does not measure something, in a sentence a report can print beside the "—"; null when the engine
 * measures it (then a missing figure means the stage failed, and the case's status says why). Pure.
 */
export function engineLimitReason(engine: EngineName, what: EngineLimit): string | null {
  if (engine === "openai") {
    switch (what) {
      case "memory":
        return "an outside server's process memory cannot be read from here (openai engine)";
      case "load":
        return "an outside server had its model loaded before the run: load time cannot be measured through its API (openai engine)";
      case "cleanup":
        return "an outside server is not ours to stop or measure (openai engine)";
      case "settings":
        return "the endpoint's own settings apply (threads, batch, context, KV cache as that server was started); the settings shown are what was asked, not applied";
    }
  }
  if (engine === "llama-server" && what === "cleanup")
    return "llama-server has no cleanup stage: gguf-bench stops the server, and its exit frees everything";
  return null;
}

/** A summary of at least one value, or null: n = 0 means nothing was measured (e.g. a remote endpoint's memory). */
export const measuredSummary = (s: Summary | undefined | null): Summary | null => (s && s.n > 0 ? s : null);

/**
 * Why a case's inference summary of `metric` holds no value (n = 0): the engine's limit, else the stage that did not
 * give one. Pure.
 */
export function summaryNotMeasuredReason(model: ModelResult, metric: string): string {
  if (metric === "peakRssBytes") {
    const limit = engineLimitReason(model.settings.engine, "memory");
    if (limit) return limit;
  }
  if (isRate(metric)) {
    const timed = (model.inference?.samples ?? []).filter((s) => !s.warmup);
    const reasons = [...new Set(timed.flatMap((s) => rateMissingReason(s, metric) ?? []))];
    if (reasons.length > 0) return reasons.join("; ");
  }
  return model.inference?.samples.some((s) => !s.warmup)
    ? "no timed run reported it"
    : "no timed run finished (see the case's status and errors)";
}

/** The two speeds a request or a context size reports, each null when its span was empty. */
export type RateMetric = "promptTokensPerSecond" | "generationTokensPerSecond";

const isRate = (metric: string): metric is RateMetric =>
  metric === "promptTokensPerSecond" || metric === "generationTokensPerSecond";

/** The counts and times a speed is derived from (an inference sample, or a context size that ran). */
interface TimedRow {
  promptTokens: number;
  promptMs: number;
  outputTokens: number;
  generationMs: number;
  promptTokensPerSecond: number | null;
  generationTokensPerSecond: number | null;
}

/**
 * Why a sample's or a context size's speed is null, from its own token counts and times (the definitions of
 * src/metrics/requestMetrics.ts); null when the speed was measured. Pure.
 */
export function rateMissingReason(row: TimedRow, metric: RateMetric): string | null {
  if (row[metric] !== null) return null;
  return (
    (metric === "promptTokensPerSecond"
      ? rateNotMeasuredReason(row.promptTokens, row.promptMs)
      : rateNotMeasuredReason(row.outputTokens - 1, row.generationMs)) ?? "the engine reported no span to time"
  );
}

/**
 * For a speed measured in some timed runs but not all: "k of n timed runs not measured: why"; null when every run
 * measured it or none did (then `summaryNotMeasuredReason` applies). Pure.
 */
export function partlyMeasuredNote(model: ModelResult, metric: string): string | null {
  if (!isRate(metric)) return null;
  const timed = (model.inference?.samples ?? []).filter((s) => !s.warmup);
  const missing = timed.filter((s) => s[metric] === null);
  if (missing.length === 0 || missing.length === timed.length) return null;
  const reasons = [...new Set(missing.flatMap((s) => rateMissingReason(s, metric) ?? []))];
  return `${missing.length} of ${timed.length} timed runs not measured (left out of the statistics): ${reasons.join("; ")}`;
}

/**
 * Every field of a case's results that holds no figure, with the reason (report.json's `notMeasured`): inference
 * summaries of no value (their zeros are no figures), a concurrency level's ITL of no value, and a missing load or
 * cleanup. Pure.
 */
export function notMeasuredFields(model: ModelResult): { field: string; reason: string }[] {
  const out: { field: string; reason: string }[] = [];
  const summaries = model.inference?.summaries ?? {};
  for (const [metric, summary] of Object.entries(summaries) as [string, Summary][])
    if (measuredSummary(summary) === null)
      out.push({ field: `inference.summaries.${metric}`, reason: summaryNotMeasuredReason(model, metric) });
  for (const [index, level] of (model.concurrency ?? []).entries())
    if (level.status === "ok" && level.itlMs.n === 0)
      out.push({
        field: `concurrency[${index}].itlMs`,
        reason: level.itlNotMeasured?.reasons.join("; ") || "no request produced two or more tokens",
      });
  if (!model.load)
    out.push({
      field: "load",
      reason: engineLimitReason(model.settings.engine, "load") ?? "the model did not load (see status and errors)",
    });
  if (!model.cleanup)
    out.push({
      field: "cleanup",
      reason:
        engineLimitReason(model.settings.engine, "cleanup") ?? "the process ended before it (see status and errors)",
    });
  return out;
}
