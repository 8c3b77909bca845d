import { ubatchRun } from "../analysis/ubatchRun.ts";
import type { CaseSettings, ModelResult } from "../results/types.ts";

const LABELS: Record<keyof CaseSettings, string> = {
  threads: "Threads",
  batchSize: "Batch size",
  ubatchSize: "Micro-batch size",
  flashAttention: "Flash attention",
  kvCacheType: "KV cache type",
  mmap: "mmap",
  gpuLayers: "GPU layers",
  cache: "Page cache state",
  engine: "Engine",
};

export function settingLabel(key: keyof CaseSettings): string {
  return LABELS[key];
}

export function settingValue(_key: keyof CaseSettings, value: string | number | boolean): string {
  return typeof value === "boolean" ? (value ? "on" : "off") : String(value);
}

/**
 * The micro-batch a case ran with (ubatchRun): "512", or "513 (512 + 1: node-llama-cpp's sliding-window cache)" when
 * node-llama-cpp added one for a model with a sliding window.
 */
export function ubatchValue(model: ModelResult): string {
  const ran = ubatchRun(model.info, model.settings);
  const set = model.settings.ubatchSize;
  return ran === null || ran === set ? String(set) : `${ran} (${set} + 1: node-llama-cpp's sliding-window cache)`;
}

/**
 * Beside a micro-batch setting shared by `models`: the sizes node-llama-cpp really ran for the sliding-window ones
 * (" (513 for the sliding-window models: node-llama-cpp adds 1 for their cache)"), or "" when every case ran as set.
 */
export function ubatchRunNote(models: ModelResult[]): string {
  const ran = new Set(
    models.flatMap((m) => {
      const run = ubatchRun(m.info, m.settings);
      return run === null || run === m.settings.ubatchSize ? [] : [run];
    }),
  );
  if (ran.size === 0) return "";
  return ` (${[...ran].sort((a, b) => a - b).join(", ")} for the sliding-window models: node-llama-cpp adds 1 for their cache)`;
}
