import type { ConcurrencyResult, EngineName, ModelResult, Summary } from "../results/types.ts";
import type { CaseAnalysis } from "./caseAnalysis.ts";

/**
 * Below this share of the native engine's generation speed (llama-server's own timings, same model and
 * settings), the report says that the in-process engine stays far below what llama.cpp does on this machine.
 */
export const FAR_BELOW_NATIVE = 0.8;
/**
 * Aggregate throughput "stops rising" at the first concurrency level after which the next level adds less
 * than this share (5%: below the run-to-run noise of a busy machine, so more streams buy nothing measurable).
 */
export const SATURATION_GAIN = 0.05;

/**
 * What a server reported of its own time, over the timed requests that carried it, beside the client's. Every figure
 * is a mean of per-request values, the same kind of average as the client-side speeds beside it (means of per-run
 * rates), so the two can be divided one by the other.
 */
export interface ServingOverhead {
  /** Requests with server timings. */
  n: number;
  /** Mean over the requests of prompt tokens ÷ server prompt ms, tokens/s; null when no request timed a prompt. */
  serverPromptTokensPerSecond: number | null;
  /**
   * Mean over the requests of (predicted tokens − 1) ÷ server predicted ms, tokens/s: llama-server's `predicted_ms`
   * runs from the first token (sampled at the end of the prompt) to the last, so it spans n − 1 token steps, the
   * count gguf-bench's own generation speed uses (llama-server's `predicted_per_second` divides all n by it and
   * reads a little high). Null when no request generated two tokens in a timed span.
   */
  serverGenerationTokensPerSecond: number | null;
  /** Mean of (client E2E − (server prompt ms + server predicted ms)) per request: HTTP, queueing, streaming. */
  overheadMs: number;
  /** Mean of that overhead ÷ client E2E per request; null when no request had a positive E2E. */
  overheadFraction: number | null;
}

export interface EngineRow {
  /** The case behind the row (the report reads from it why a figure is missing). */
  model: ModelResult;
  name: string;
  engine: EngineName;
  promptTokensPerSecond: Summary | null;
  generationTokensPerSecond: Summary | null;
  ttftMs: Summary | null;
  /** Highest RSS of the engine's process in the inference stage; null when not measured (a remote endpoint). */
  peakRssBytes: number | null;
  /**
   * The same process's RSS before the model was loaded (the worker after GC: Node.js and node-llama-cpp; the
   * server right after it started); null when not read (a remote endpoint, a failed load).
   */
  baselineRssBytes: number | null;
  /** peakRssBytes − baselineRssBytes: what the model, its context and inference added, like for like. */
  peakAboveBaselineBytes: number | null;
  loadMs: number | null;
  overhead: ServingOverhead | null;
}

export interface EngineComparison {
  /** The model's label. */
  model: string;
  rows: EngineRow[];
  /**
   * In-process generation tokens/s ÷ llama-server's own (server-timed) generation tokens/s, when both ran: both
   * means of per-request rates over (tokens − 1) steps. Below FAR_BELOW_NATIVE the report says the in-process
   * engine stays far below the native one.
   */
  inProcessShareOfNative: number | null;
}

const summaryOrNull = (s: Summary | undefined): Summary | null => (s && s.n > 0 ? s : null);

const mean = (values: number[]): number | null =>
  values.length > 0 ? values.reduce((sum, v) => sum + v, 0) / values.length : null;

/** Serving overhead from the timed samples that carry the server's timings (pure); null when none do. */
export function servingOverhead(model: ModelResult): ServingOverhead | null {
  const timed = (model.inference?.samples ?? []).flatMap((s) =>
    !s.warmup && s.server ? [{ ...s, server: s.server }] : [],
  );
  if (timed.length === 0) return null;
  const overheads = timed.map((s) => s.totalMs - (s.server.promptMs + s.server.predictedMs));
  return {
    n: timed.length,
    serverPromptTokensPerSecond: mean(
      timed.flatMap(({ server: t }) => (t.promptMs > 0 ? [(t.promptTokens * 1000) / t.promptMs] : [])),
    ),
    serverGenerationTokensPerSecond: mean(
      timed.flatMap(({ server: t }) =>
        t.predictedMs > 0 && t.predictedTokens > 1 ? [((t.predictedTokens - 1) * 1000) / t.predictedMs] : [],
      ),
    ),
    overheadMs: mean(overheads) ?? 0,
    overheadFraction: mean(timed.flatMap((s, i) => (s.totalMs > 0 ? [(overheads[i] as number) / s.totalMs] : []))),
  };
}

/**
 * The cases where one model ran with the same settings on more than one engine, grouped per model and settings,
 * engines in the order they ran (pure).
 */
export function engineComparisons(cases: CaseAnalysis[]): EngineComparison[] {
  const groups = new Map<string, CaseAnalysis[]>();
  for (const c of cases) {
    const { engine: _engine, ...shared } = c.model.settings;
    const key = JSON.stringify([c.model.fileFingerprint || c.model.file, shared]);
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const comparisons: EngineComparison[] = [];
  for (const group of groups.values()) {
    if (new Set(group.map((c) => c.model.settings.engine)).size < 2) continue;
    const rows = group.map((c): EngineRow => {
      const s = c.model.inference?.summaries;
      const peak = summaryOrNull(s?.peakRssBytes);
      const before = c.model.load?.before.vmRssBytes;
      const baseline = before !== undefined && before > 0 ? before : null;
      return {
        model: c.model,
        name: c.name,
        engine: c.model.settings.engine,
        promptTokensPerSecond: summaryOrNull(s?.promptTokensPerSecond),
        generationTokensPerSecond: summaryOrNull(s?.generationTokensPerSecond),
        ttftMs: summaryOrNull(s?.ttftMs),
        peakRssBytes: peak ? peak.max : null,
        baselineRssBytes: baseline,
        peakAboveBaselineBytes: peak && baseline !== null ? peak.max - baseline : null,
        loadMs: c.model.load?.durationMs ?? null,
        overhead: servingOverhead(c.model),
      };
    });
    const inProcess = rows.find((r) => r.engine === "node-llama-cpp")?.generationTokensPerSecond?.mean;
    const native = rows.find((r) => r.engine === "llama-server")?.overhead?.serverGenerationTokensPerSecond;
    comparisons.push({
      model: group[0]?.model.label ?? "",
      rows,
      inProcessShareOfNative: inProcess !== undefined && native ? inProcess / native : null,
    });
  }
  return comparisons;
}

/**
 * The concurrency level where aggregate output tokens/s stops rising: the first measured level (one with a
 * throughput: a level that took 0 ms has none) whose next level
 * adds less than SATURATION_GAIN; null with `stillRising` when every step up still gained (or fewer than two
 * levels were measured).
 */
export function saturationLevel(levels: ConcurrencyResult[]): { level: number | null; stillRising: boolean } {
  // A level without a measured throughput (it took 0 ms) is no point of the curve.
  const ok = levels
    .flatMap((l) =>
      (l.status === "ok" && l.outputTokensPerSecond !== null ? [l.outputTokensPerSecond] : []).map(
        (tokensPerSecond) => ({ concurrency: l.concurrency, tokensPerSecond }),
      ),
    )
    .sort((a, b) => a.concurrency - b.concurrency);
  for (let i = 0; i + 1 < ok.length; i++) {
    const here = ok[i] as (typeof ok)[number];
    const next = ok[i + 1] as (typeof ok)[number];
    if (next.tokensPerSecond < here.tokensPerSecond * (1 + SATURATION_GAIN))
      return { level: here.concurrency, stillRising: false };
  }
  return { level: null, stillRising: ok.length >= 2 };
}
