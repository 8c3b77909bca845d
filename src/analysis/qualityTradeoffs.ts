import type { KldResult, QualityMeasured, RunResults } from "../results/types.ts";
import type { CaseAnalysis } from "./caseAnalysis.ts";
import { measuredSummary } from "./notMeasured.ts";

/** One model measured against a reference, with what the trade-off compares it on. */
export interface QualityPoint {
  /** The case's display name in the report. */
  name: string;
  caseId: string;
  runId: string;
  fileBytes: number;
  perplexity: number;
  kld: KldResult;
  /** Mean generation tokens/s of the inference stage; null when not measured. */
  generationTokensPerSecond: number | null;
  /** Highest RSS of the inference stage (the summary's peak memory); null when not measured. */
  peakRssBytes: number | null;
  /** No other point has lower-or-equal KLD and higher-or-equal speed with one of them strictly better. */
  paretoSpeed: boolean;
  /** The same with peak memory (lower is better) in place of speed. */
  paretoMemory: boolean;
}

/** Models compared against one reference, on one text and chunk size. */
export interface QualityTradeoff {
  referenceLabel: string;
  referenceFingerprint: string;
  textSha256: string | null;
  contextSize: number;
  /** The quality budget (--max-kld) of the first run of the group. */
  maxKldNats: number;
  points: QualityPoint[];
  /** The smallest file whose mean KLD is within the budget; null when none is. */
  recommended: QualityPoint | null;
  /** When none is within the budget: the point with the lowest mean KLD. */
  closest: QualityPoint | null;
}

/** Pareto-optimal flags for two objectives, both to minimise; null values are never optimal (not comparable). */
export function paretoOptimal(points: { a: number; b: number | null }[]): boolean[] {
  return points.map((p, i) => {
    if (p.b === null) return false;
    const pb = p.b;
    return !points.some((q, j) => j !== i && q.b !== null && q.a <= p.a && q.b <= pb && (q.a < p.a || q.b < pb));
  });
}

/**
 * Groups the cases measured against a reference (same reference fingerprint, text and chunk size) and marks,
 * per group, the files on the Pareto front of mean KLD vs generation speed and of mean KLD vs peak memory, and
 * the smallest file (GGUF bytes) within the run's --max-kld budget.
 */
export function qualityTradeoffs(runs: RunResults[], cases: CaseAnalysis[]): QualityTradeoff[] {
  const configOf = new Map(runs.map((run) => [run.runId, run.config.quality ?? null]));
  const groups = new Map<
    string,
    { group: Omit<QualityTradeoff, "points" | "recommended" | "closest">; members: CaseAnalysis[] }
  >();
  for (const c of cases) {
    const quality = c.model.quality;
    if (quality?.status !== "ok" || !quality.kld) continue;
    const config = configOf.get(c.runId) ?? null;
    const key = `${quality.kld.referenceFingerprint}\0${config?.textSha256 ?? ""}\0${quality.contextSize}`;
    let entry = groups.get(key);
    if (!entry) {
      entry = {
        group: {
          referenceLabel: quality.kld.referenceLabel,
          referenceFingerprint: quality.kld.referenceFingerprint,
          textSha256: config?.textSha256 ?? null,
          contextSize: quality.contextSize,
          maxKldNats: config?.maxKldNats ?? 0.05,
        },
        members: [],
      };
      groups.set(key, entry);
    }
    entry.members.push(c);
  }
  return [...groups.values()].map(({ group, members }) => {
    const base = members.map((c) => {
      const quality = c.model.quality as QualityMeasured & { kld: KldResult };
      return {
        name: c.name,
        caseId: c.model.caseId,
        runId: c.runId,
        fileBytes: c.model.info.fileBytes,
        perplexity: quality.perplexity,
        kld: quality.kld,
        generationTokensPerSecond:
          measuredSummary(c.model.inference?.summaries.generationTokensPerSecond)?.mean ?? null,
        peakRssBytes: measuredSummary(c.model.inference?.summaries.peakRssBytes)?.max ?? null,
      };
    });
    const speed = paretoOptimal(
      base.map((p) => ({
        a: p.kld.meanNats,
        b: p.generationTokensPerSecond === null ? null : -p.generationTokensPerSecond,
      })),
    );
    const memory = paretoOptimal(base.map((p) => ({ a: p.kld.meanNats, b: p.peakRssBytes })));
    const points = base.map((p, i) => ({ ...p, paretoSpeed: speed[i] === true, paretoMemory: memory[i] === true }));
    const within = points.filter((p) => p.kld.meanNats <= group.maxKldNats);
    const recommended = within.reduce<QualityPoint | null>(
      (best, p) => (best === null || p.fileBytes < best.fileBytes ? p : best),
      null,
    );
    const closest =
      recommended === null
        ? points.reduce<QualityPoint | null>(
            (best, p) => (best === null || p.kld.meanNats < best.kld.meanNats ? p : best),
            null,
          )
        : null;
    return { ...group, points, recommended, closest };
  });
}
