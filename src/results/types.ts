/**
 * results.json: the one data format every stage writes and every report reads. Plain serialisable data;
 * field names carry their units. Change SCHEMA_VERSION (and the history below) on any incompatible change.
 *
 * Schema history:
 *  1 — first version (2026-11-26); config.notes and config.ubatchFollowsBatch added the same day (readers default them).
 *      2026-11-30: optional StageError.llamaLog and StageError.hint (absent in older files: nothing was kept).
 */
import type { ModelInfo } from "../gguf/modelInfo.ts";

export const SCHEMA_VERSION = 1 as const;

export interface RunResults {
  schemaVersion: typeof SCHEMA_VERSION;
  tool: { name: "gguf-bench"; version: string };
  /** Unique id of the run (uuid). */
  runId: string;
  startedAt: string;
  finishedAt: string | null;
  /** Whether the run was stopped early (Ctrl-C). */
  interrupted: boolean;
  environment: Environment;
  config: RunConfig;
  /** One entry per model × settings case, in the order they ran. */
  models: ModelResult[];
}

export interface Environment {
  os: { platform: string; release: string; distro: string; arch: string };
  hostname: string;
  cpu: { model: string; logicalCores: number; physicalCores: number; availableParallelism: number };
  memory: { totalBytes: number; availableBytes: number };
  gpus: { vendor: string; model: string; vramBytes: number | null }[];
  /** Filesystem / device the model files are read from. */
  storage: { path: string; filesystem: string; device: string; type: string } | null;
  node: string;
  nodeLlamaCpp: string;
  /** llama.cpp release the bindings were built from, e.g. "b6xxx". */
  llamaCppBuild: string;
  /** "cpu" | "cuda" | "vulkan" | "metal" */
  backend: string;
  /** Measured streaming read bandwidth of this machine, when measured. */
  memoryBandwidthBytesPerSecond: number | null;
}

export interface RunConfig {
  runs: number;
  warmupRuns: number;
  maxTokens: number;
  contexts: number[];
  /** Context size used for the inference stage. */
  inferenceContextSize: number;
  seed: number;
  timeoutMs: number;
  allowBeyondTrainingContext: boolean;
  prompts: { id: string; title: string; text: string }[];
  /** The values swept; a single value means it did not vary. */
  sweep: {
    threads: number[];
    batchSize: number[];
    ubatchSize: number[];
    flashAttention: boolean[];
    kvCacheType: KvCacheType[];
    mmap: boolean[];
    gpuLayers: number[];
    cache: CacheState[];
  };
  /** How the thread default was chosen, e.g. "os.availableParallelism() = 2". */
  threadsSource: string;
  /** What the run decided and the reader should know (a clamped context, how the page cache was set, a busy machine). */
  notes: string[];
  /** No --ubatch-size given: each case's micro-batch equals its batch size (node-llama-cpp 3.21.1 ties them). */
  ubatchFollowsBatch: boolean;
}

export type KvCacheType = "f16" | "q8_0";
/** "cold": page cache evicted before load; "warm": file read before load; "unknown": not controlled. */
export type CacheState = "cold" | "warm" | "unknown";

/** The settings of one case; every figure of a ModelResult was measured with exactly these. */
export interface CaseSettings {
  threads: number;
  batchSize: number;
  ubatchSize: number;
  flashAttention: boolean;
  kvCacheType: KvCacheType;
  mmap: boolean;
  gpuLayers: number;
  cache: CacheState;
}

export interface ModelResult {
  /** Stable id of this case within the run, e.g. "stories260K.gguf#1". */
  caseId: string;
  /** Display name (file base name, or the synthetic label). */
  label: string;
  file: string;
  /** sha256 of (GGUF header bytes + file size): identifies the model across runs and machines cheaply. */
  fileFingerprint: string;
  /** True for models gguf-bench synthesised (demo set, what-if): random weights, real shapes. */
  synthetic: boolean;
  info: ModelInfo;
  settings: CaseSettings;
  status: "ok" | "partial" | "failed";
  /** Child process id that ran the model, and how it ended. */
  process: {
    pid: number | null;
    outcome: ProcessOutcome;
    exitCode: number | null;
    signal: string | null;
    wallMs: number;
  };
  load: LoadResult | null;
  inference: InferenceResult | null;
  contexts: ContextResult[];
  cleanup: CleanupResult | null;
  errors: StageError[];
}

export type ProcessOutcome = "ok" | "error" | "crash" | "timeout" | "killed" | "interrupted";
export type Stage = "metadata" | "load" | "inference" | "contexts" | "cleanup" | "process";

export interface StageError {
  stage: Stage;
  /** Stable code: "crash", "timeout", "oom-killed", "load-failed", "context-alloc-failed", … */
  code: string;
  message: string;
  /** The lines llama.cpp logged (or a crashed child wrote to stderr) that say why, e.g. "check_tensor_dims: …". */
  llamaLog?: string[];
  /** What to do, when the cause is known from llama.cpp's message (src/diagnosis/failureHint.ts). */
  hint?: string;
}

/** One read of /proc/<pid>/status of the child. */
export interface MemorySnapshot {
  vmRssBytes: number;
  rssAnonBytes: number;
  rssFileBytes: number;
  /** Peak resident set (kernel high-water mark) since the last reset. */
  vmHwmBytes: number;
  vmSizeBytes: number;
}

export interface LoadResult {
  durationMs: number;
  mmap: boolean;
  cache: CacheState;
  /** Child's memory after GC, before the model is loaded (its own baseline). */
  before: MemorySnapshot;
  after: MemorySnapshot;
  /** Peak RSS during the load, from the kernel's high-water mark and ≤100 ms sampling. */
  peakRssBytes: number;
  /** Time of the first decode after load (a one-token eval): where mmap moves the page-fault cost. */
  firstDecodeMs: number;
  /** Device-wide VRAM used, when a GPU is used; scope is the whole device, not the process. */
  deviceVramUsedBytes: number | null;
}

export interface InferenceSample {
  promptId: string;
  /** 0-based index among the timed runs of this prompt; -1 for the warm-up. */
  run: number;
  warmup: boolean;
  promptTokens: number;
  promptMs: number;
  promptTokensPerSecond: number;
  /** Time from the request to the first generated token (prefill + first decode). */
  ttftMs: number;
  outputTokens: number;
  generationMs: number;
  generationTokensPerSecond: number;
  totalMs: number;
  peakRssBytes: number;
}

export interface Summary {
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1). */
  sd: number;
  min: number;
  max: number;
  median: number;
  /** 95% confidence interval of the mean, Student t with n − 1 degrees of freedom. */
  ci95Low: number;
  ci95High: number;
  /** Coefficient of variation sd / mean (0 when mean is 0). */
  cv: number;
}

export type InferenceMetric =
  | "totalMs"
  | "ttftMs"
  | "promptTokensPerSecond"
  | "generationTokensPerSecond"
  | "outputTokens"
  | "peakRssBytes";

export interface Warning {
  code: "first-run-slow" | "high-cv" | "outlier" | "roofline-exceeded" | "environment-differs" | string;
  message: string;
  /** What to do about it. */
  hint: string;
  metric?: string;
}

export interface InferenceResult {
  contextSize: number;
  /** Warm-up samples included (flagged); summaries exclude them. */
  samples: InferenceSample[];
  /** Over all timed samples of all prompts. */
  summaries: Record<InferenceMetric, Summary>;
  warnings: Warning[];
}

export type ContextResult =
  | {
      contextSize: number;
      status: "ok";
      promptTokens: number;
      outputTokens: number;
      promptMs: number;
      generationMs: number;
      totalMs: number;
      ttftMs: number;
      promptTokensPerSecond: number;
      generationTokensPerSecond: number;
      /** RSS right after the context was created (before the prompt). */
      afterCreateRssBytes: number;
      /** Peak RSS while this context existed. */
      peakRssBytes: number;
      /** RSS after generation, context still alive. */
      endRssBytes: number;
    }
  | { contextSize: number; status: "skipped"; reason: string }
  | { contextSize: number; status: "error"; code: string; message: string };

export interface CleanupResult {
  before: MemorySnapshot;
  after: MemorySnapshot;
  releasedBytes: number;
  /** releasedBytes / (peak during load+inference − load baseline), clamped to [0, 1]. */
  releasedFraction: number;
}
