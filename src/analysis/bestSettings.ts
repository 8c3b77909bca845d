import type { CaseSettings, ModelResult } from "../results/types.ts";
import { busiestShare } from "../stats/busyStages.ts";
import { welchTest } from "../stats/welch.ts";
import { variedSettings } from "./variedSettings.ts";

export interface BestSettings {
  file: string;
  label: string;
  /** The settings that took more than one value for this model. */
  varied: (keyof CaseSettings)[];
  metric: "generationTokensPerSecond";
  best: { caseId: string; settings: CaseSettings; mean: number; ci95Low: number; ci95High: number };
  /**
   * The next best, with Welch's test against the best. pValue is null when the test cannot be computed
   * (fewer than two timed runs on a side, or no spread on either), and then `significant` is false.
   */
  runnerUp: {
    caseId: string;
    settings: CaseSettings;
    mean: number;
    pValue: number | null;
    /** Welch's p < SIGNIFICANCE_LEVEL, and neither case's inference stage busy (then false: not reliable). */
    significant: boolean;
    /**
     * The highest share of the cores other processes took during the inference stage of the best or the runner-up,
     * when above BUSY_STAGE_FRACTION (a fraction); null when neither was busy. Then the difference is not reliable.
     */
    busyOtherCpuFraction: number | null;
  } | null;
}

/** The conventional 5% level: "significant" means the difference is unlikely to be run-to-run noise alone. */
export const SIGNIFICANCE_LEVEL = 0.05;

/**
 * One entry per model file for which some setting varied; empty when nothing was swept. The best case is the
 * highest mean generation tokens/s among the cases with timed inference runs; the runner-up is the next.
 * Files are told apart by path and fingerprint, so the same path holding another model is another entry.
 */
export function bestSettings(models: ModelResult[]): BestSettings[] {
  const byFile = new Map<string, ModelResult[]>();
  for (const model of models) {
    const key = `${model.file}\u0000${model.fileFingerprint}`;
    byFile.set(key, [...(byFile.get(key) ?? []), model]);
  }
  const entries: BestSettings[] = [];
  for (const cases of byFile.values()) {
    const first = cases[0];
    if (!first || cases.length < 2) continue;
    const varied = variedSettings(cases);
    if (varied.length === 0) continue;
    const ranked = cases
      .filter((c) => c.status !== "failed" && (c.inference?.summaries.generationTokensPerSecond.n ?? 0) > 0)
      .map((c) => ({
        model: c,
        summary: (c.inference as NonNullable<ModelResult["inference"]>).summaries.generationTokensPerSecond,
      }))
      // Stable sort: on a tie the case that ran first wins.
      .sort((a, b) => b.summary.mean - a.summary.mean);
    const best = ranked[0];
    if (!best) continue;
    const next = ranked[1];
    let runnerUp: BestSettings["runnerUp"] = null;
    if (next) {
      const welch = welchTest(next.summary, best.summary);
      const shares = [best.model, next.model].flatMap((c) => busiestShare(c, "inference") ?? []);
      const busy = shares.length > 0 ? Math.max(...shares) : null;
      runnerUp = {
        caseId: next.model.caseId,
        settings: next.model.settings,
        mean: next.summary.mean,
        pValue: welch ? welch.p : null,
        significant: busy === null && welch !== null && welch.p < SIGNIFICANCE_LEVEL,
        busyOtherCpuFraction: busy,
      };
    }
    entries.push({
      file: first.file,
      label: first.label,
      varied,
      metric: "generationTokensPerSecond",
      best: {
        caseId: best.model.caseId,
        settings: best.model.settings,
        mean: best.summary.mean,
        ci95Low: best.summary.ci95Low,
        ci95High: best.summary.ci95High,
      },
      runnerUp,
    });
  }
  return entries;
}
