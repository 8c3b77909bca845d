import type { KvCacheType } from "../results/types.ts";
import type { RawRunOptions } from "../suite/parseRunOptions.ts";

/**
 * What runBenchmark measures: the options of `gguf-bench run`, typed. Every field is optional except `models`; an
 * omitted field takes the CLI's default (README, "gguf-bench run"), and a list sweeps its values like the flag.
 */
export interface BenchmarkPlan {
  /**
   * GGUF files (a split model: its first part) or folders (the .gguf files under them, as `run DIR` finds them).
   * Empty, with no `whatIf`: the built-in demo set (3 synthesised models).
   */
  models: readonly string[];
  /** Synthesised shapes benchmarked after the files, e.g. "llama:7b:q4_0" (`--what-if`). */
  whatIf?: readonly string[];
  /**
   * Timed runs per prompt (`--runs`, default 3), or "auto": more rounds until each headline figure's 95% CI
   * half-width is within `targetCiPercent` of its mean, or `maxRuns`, or `maxRunsTimeSeconds` of timed runs.
   */
  runs?: number | "auto";
  /** With runs "auto": the CI half-width to reach, in percent of the mean (`--target-ci`). */
  targetCiPercent?: number;
  /** With runs "auto": at most this many timed runs per prompt (`--max-runs`). */
  maxRuns?: number;
  /** With runs "auto": at most this many seconds of timed runs per case (`--max-runs-time`). */
  maxRunsTimeSeconds?: number;
  /** Untimed warm-up runs per prompt (`--warmup`, default 1). */
  warmup?: number;
  /** Tokens generated per run (`--max-tokens`, default 128; below `inferenceContext`). */
  maxTokens?: number;
  /** Context sizes (tokens) of the context stage (`--contexts`, default 512, 1024, 2048, 4096). */
  contexts?: readonly number[];
  /** Context size (tokens) of the inference stage, clamped to the training context (`--inference-context`, 2048). */
  inferenceContext?: number;
  /** Threads (`--threads`, default: the cores really available). */
  threads?: readonly number[];
  /** n_batch (`--batch-size`, default 512). */
  batchSize?: readonly number[];
  /**
   * n_ubatch (`--ubatch-size`, default: each batch size). node-llama-cpp ties it to the batch size: apart from it,
   * a UsageError when node-llama-cpp is the only engine; beside llama-server, node-llama-cpp's cases run with
   * ubatch = batch (recorded so, and noted in config.notes).
   */
  ubatchSize?: readonly number[];
  /** `--flash-attention` (default [false]). */
  flashAttention?: readonly boolean[];
  /** `--kv-cache-type` (default ["f16"]). */
  kvCacheType?: readonly KvCacheType[];
  /** Load with mmap (`--mmap`, default [true]). */
  mmap?: readonly boolean[];
  /** Layers offloaded to a GPU (`--gpu-layers`, default [0]). */
  gpuLayers?: readonly number[];
  /** Page cache before each load (`--cache`, default: not controlled). */
  cache?: "cold" | "warm" | "both";
  /** Limit per model and settings case, in seconds (`--timeout`, default 600). */
  timeoutSeconds?: number;
  /** Sampling seed (`--seed`, default 42). */
  seed?: number;
  /** Also measure contexts above the model's training context (`--allow-beyond-training-context`). */
  allowBeyondTrainingContext?: boolean;
  /** Measure this machine's memory bandwidth first, about a second, for the roofline (default true, as the CLI). */
  measureBandwidth?: boolean;
  /** Folder for results.json, rewritten after every finished case (default: no file is written). */
  outDir?: string;
  /** History database to save the run to: an SQLite path or a postgres:// URL (default: none). */
  db?: string;
}

/** The plan as the strings `run`'s flags would carry, so the CLI's one parser checks it and applies its defaults. */
export function rawRunOptions(plan: BenchmarkPlan): RawRunOptions {
  const text = (value: number | undefined) => (value === undefined ? undefined : String(value));
  const list = (values: readonly (number | string | boolean)[] | undefined) =>
    values?.map((v) => (typeof v === "boolean" ? (v ? "on" : "off") : String(v))).join(",");
  return {
    runs: plan.runs === "auto" ? "auto" : text(plan.runs),
    targetCi: text(plan.targetCiPercent),
    maxRuns: text(plan.maxRuns),
    maxRunsTime: text(plan.maxRunsTimeSeconds),
    warmup: text(plan.warmup),
    maxTokens: text(plan.maxTokens),
    contexts: list(plan.contexts),
    inferenceContext: text(plan.inferenceContext),
    threads: list(plan.threads),
    batchSize: list(plan.batchSize),
    ubatchSize: list(plan.ubatchSize),
    flashAttention: list(plan.flashAttention),
    kvCacheType: list(plan.kvCacheType),
    mmap: list(plan.mmap),
    gpuLayers: list(plan.gpuLayers),
    cache: plan.cache,
    timeout: text(plan.timeoutSeconds),
    seed: text(plan.seed),
    allowBeyondTrainingContext: plan.allowBeyondTrainingContext,
    out: plan.outDir,
    whatIf: plan.whatIf && [...plan.whatIf],
    bandwidth: plan.measureBandwidth,
    db: plan.db,
  };
}
