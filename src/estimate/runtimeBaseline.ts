import type { ModelResult } from "../results/types.ts";

/**
 * RSS of gguf-bench's child process before it loads a model (Node 20, node-llama-cpp 3.21.1 and llama.cpp's CPU
 * backend loaded), measured on x86-64 Linux: 128–142 MiB. Used when this machine has no history.
 */
export const DEFAULT_RUNTIME_BASELINE_BYTES = 134 * 1024 * 1024;

/** The child's own pre-load RSS: the median over this machine's past measurements, else the default above. */
export function runtimeBaseline(pastCases: ModelResult[]): { bytes: number; source: string } {
  const values = pastCases
    .map((model) => model.load?.before.vmRssBytes)
    .filter((value): value is number => typeof value === "number" && value > 0)
    .sort((a, b) => a - b);
  if (values.length === 0) {
    return { bytes: DEFAULT_RUNTIME_BASELINE_BYTES, source: "typical for node-llama-cpp 3.21.1 on Linux (no history)" };
  }
  const mid = Math.floor(values.length / 2);
  const median =
    values.length % 2 === 1 ? (values[mid] as number) : ((values[mid - 1] as number) + (values[mid] as number)) / 2;
  return { bytes: median, source: `median before-load RSS of ${values.length} measured case(s) in the history` };
}
