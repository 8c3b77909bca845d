import { UsageError } from "../errors.ts";
import { type EstimateReport, runEstimate } from "../estimate/runEstimate.ts";
import type { KvCacheType } from "../results/types.ts";
import type { ResultStore } from "../store/resultStore.ts";
import { RUN_DEFAULTS } from "../suite/defaults.ts";

export type { EstimateReport } from "../estimate/runEstimate.ts";

export interface EstimateOptions {
  /** Context sizes in tokens (default 512, 1024, 2048, 4096). */
  contexts?: number[];
  /** KV cache element type (default "f16"; "q8_0" needs flashAttention). */
  kvCacheType?: KvCacheType;
  /** Default false. */
  flashAttention?: boolean;
  /** n_batch in tokens; n_ubatch follows it (default 512). */
  batchSize?: number;
  /** Load with mmap (default true): weights count as file-backed pages. */
  mmap?: boolean;
  /**
   * A history store (openHistoryStore) to look up earlier measurements of the same file: its runtime baseline is
   * used, and the newest case with the same settings is set beside the prediction (`measured`). Default: none.
   */
  store?: ResultStore | null;
}

/**
 * Predicts the resident memory (RSS, bytes) of a benchmark child process running the model, per context size,
 * from the GGUF header alone (no weights read, nothing loaded) — what `gguf-bench estimate` prints. Each estimate
 * splits the total into runtime baseline, weights (file-backed with mmap, anonymous when repacked or without
 * mmap; weightsLoadOnlyMappedBytes, the mapped pages of repacked tensors, only read at load), model overhead, KV cache
 * (per-layer KV heads × head dim × 2 × element size × cells, cells = the context padded as node-llama-cpp pads
 * it), compute and work buffers, and context overhead; `fit` compares requiredBytes (the total minus the load-only
 * pages; null when the KV cache layout is unknown) with
 * this machine's MemAvailable (/proc/meminfo): "fits", "tight" (above 90%), "does-not-fit" or "unknown". The formulas and
 * their measured constants are documented in src/estimate/ (node-llama-cpp 3.21.1, llama.cpp CPU backend).
 *
 * `model` is a GGUF file's path (a split model: any part), or `{ whatIf: "arch:preset:type" }` (e.g.
 * `{ whatIf: "llama:llama-3.2-1b:q4_k_m" }`, the specs `gguf-bench run --what-if` takes, not `seed`) to estimate a
 * synthetic shape from the header the synthesiser would write, without writing any file — what
 * `gguf-bench estimate --what-if` prints. The report's `file` is then the what-if label ("what-if llama
 * llama-3.2-1b q4_k_m") and its fingerprint that of the file `run --what-if` would write, so a store finds earlier
 * runs of the shape.
 *
 * @throws GgufError (a GgufBenchError; codes not-gguf, unsupported-version, truncated, limit-exceeded, malformed,
 *   io) for a file that is not a readable GGUF; UsageError for a bad option or a bad what-if spec.
 */
export async function estimateMemory(
  model: string | { whatIf: string },
  options: EstimateOptions = {},
): Promise<EstimateReport> {
  if (typeof model !== "string" && typeof model?.whatIf !== "string")
    throw new UsageError('estimateMemory takes a GGUF path or { whatIf: "arch:preset:type" }');
  const contexts = options.contexts ?? [...RUN_DEFAULTS.contexts];
  const batchSize = options.batchSize ?? RUN_DEFAULTS.batchSize[0];
  for (const value of [...contexts, batchSize])
    if (!Number.isSafeInteger(value) || value < 1)
      throw new UsageError(`context sizes and batch size must be positive integers, got ${JSON.stringify(value)}`);
  if (contexts.length === 0) throw new UsageError("contexts needs at least one size, e.g. [512, 1024, 2048]");
  const kvCacheType = options.kvCacheType ?? "f16";
  if (kvCacheType !== "f16" && kvCacheType !== "q8_0")
    throw new UsageError(
      `kvCacheType must be "f16" or "q8_0", got ${JSON.stringify(String(kvCacheType)).slice(0, 40)}`,
    );
  const flashAttention = options.flashAttention ?? false;
  for (const [name, value] of [
    ["flashAttention", flashAttention],
    ["mmap", options.mmap ?? true],
  ] as const)
    if (typeof value !== "boolean") throw new UsageError(`${name} must be true or false, got ${typeof value}`);
  if (kvCacheType === "q8_0" && !flashAttention)
    throw new UsageError("kvCacheType q8_0 needs flashAttention (llama.cpp refuses a q8_0 V cache without it)");
  return runEstimate(
    typeof model === "string" ? { path: model } : { whatIf: model.whatIf },
    contexts,
    { kvCacheType, flashAttention, batchSize, mmap: options.mmap ?? true },
    options.store ?? null,
  );
}
