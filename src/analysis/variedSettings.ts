import type { CaseSettings, ModelResult } from "../results/types.ts";

export const SETTING_KEYS: (keyof CaseSettings)[] = [
  "threads",
  "batchSize",
  "ubatchSize",
  "flashAttention",
  "kvCacheType",
  "mmap",
  "gpuLayers",
  "cache",
  "engine",
];

/** The settings that took more than one value across the given cases (reports show a column only for these). */
export function variedSettings(models: ModelResult[]): (keyof CaseSettings)[] {
  return SETTING_KEYS.filter((key) => new Set(models.map((m) => String(m.settings[key]))).size > 1);
}
