import type { CaseSettings } from "../results/types.ts";

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
