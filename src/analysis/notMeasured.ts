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
  return model.inference?.samples.some((s) => !s.warmup)
    ? "no timed run reported it"
    : "no timed run finished (see the case's status and errors)";
}

/**
 * Every field of a case's results that holds no figure, with the reason (report.json's `notMeasured`): inference
 * summaries of no value (their zeros are no figures), and a missing load or cleanup. Pure.
 */
export function notMeasuredFields(model: ModelResult): { field: string; reason: string }[] {
  const out: { field: string; reason: string }[] = [];
  const summaries = model.inference?.summaries ?? {};
  for (const [metric, summary] of Object.entries(summaries) as [string, Summary][])
    if (measuredSummary(summary) === null)
      out.push({ field: `inference.summaries.${metric}`, reason: summaryNotMeasuredReason(model, metric) });
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
