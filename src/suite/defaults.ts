import type { EngineName, KvCacheType } from "../results/types.ts";

/**
 * Every default of `gguf-bench run`, in one place (help text, config and tests read them from here).
 * Threads have no fixed default: os.availableParallelism() at run time (node-llama-cpp's own default
 * oversubscribes small machines badly).
 */
export const RUN_DEFAULTS = {
  /**
   * --runs auto: at least 3 timed runs per prompt (the fixed default before), then more until generation and
   * prompt tokens/s are known within ±5% (95% CI), at most 10 per prompt and 60 s of timed runs per case.
   */
  runs: "auto" as number | "auto",
  minAutoRuns: 3,
  targetCiPercent: 5,
  maxRuns: 10,
  maxRunsTimeSeconds: 60,
  warmup: 1,
  maxTokens: 128,
  contexts: [512, 1024, 2048, 4096],
  /** Clamped per model to its training context; the clamp is noted in config.notes. */
  inferenceContextSize: 2048,
  /** node-llama-cpp's batch default is min(context, 512). The micro-batch follows it unless --ubatch-size is given. */
  batchSize: [512],
  flashAttention: [false],
  kvCacheType: ["f16"] as KvCacheType[],
  mmap: [true],
  /** This machine class has no GPU; on one with a GPU pass --gpu-layers explicitly. */
  gpuLayers: [0],
  timeoutSeconds: 600,
  seed: 42,
  outRoot: "gguf-bench-results",
  /** llama-perplexity's default n_ctx. */
  qualityContext: 512,
  /** Mean KLD (nats) a file may lose against the reference and still be recommended. */
  maxKldNats: 0.05,
  engine: ["node-llama-cpp"] as EngineName[],
  /** Requests sent at each --concurrency level (closed loop). */
  requestsPerLevel: 16,
  /** A streamed request that sends nothing for this long is abandoned (a stalled server) and recorded as an error. */
  requestTimeoutSeconds: 300,
} as const;

/**
 * The demo set (`run` with no model): three tiny synthesised models, sized so the whole product shows in about a
 * minute on 2 cores. Explicit flags still override these.
 */
export const DEMO_DEFAULTS = {
  runs: "auto" as number | "auto",
  /** The demo stays about a minute long even on a busy machine. */
  maxRunsTimeSeconds: 10,
  warmup: 1,
  maxTokens: 64,
  /** 2048 is above the tiny qwen2's training context (1024): the demo shows a skipped size too. */
  contexts: [256, 512, 1024, 2048],
  inferenceContextSize: 512,
  /**
   * Models this small spend more time synchronising threads than computing: one thread is several times faster
   * than two on a 2-core machine, and far faster when the machine is busy.
   */
  threads: 1,
} as const;
