import type { CaseSettings, ModelResult } from "../results/types.ts";

// STUB (contract) — implemented by the sweeps owner.
export interface BestSettings {
  file: string;
  label: string;
  /** The settings that took more than one value for this model. */
  varied: (keyof CaseSettings)[];
  metric: "generationTokensPerSecond";
  best: { caseId: string; settings: CaseSettings; mean: number; ci95Low: number; ci95High: number };
  /** The next best, with Welch's test against the best. */
  runnerUp: { caseId: string; settings: CaseSettings; mean: number; pValue: number; significant: boolean } | null;
}
/** One entry per model file for which some setting varied; empty when nothing was swept. */
export function bestSettings(_models: ModelResult[]): BestSettings[] {
  return [];
}
