/**
 * results.json: the one data format every stage writes and every report reads. Plain serialisable data;
 * field names carry their units. Change SCHEMA_VERSION (and the history below) on any incompatible change.
 *
 * Schema history:
 *  1 — first version (2026-11-26); config.notes and config.ubatchFollowsBatch added the same day (readers default them).
 *      2026-11-30: optional StageError.llamaLog and StageError.hint (absent in older files: nothing was kept);
 *      environment.cpu.vendor/family/modelNumber/stepping/simd/caches and environment.llamaCppSystemInfo (readers
 *      default them to "", null, [], unknown caches and null); Summary.ciMethod (default "t": older intervals
 *      were Student t), config.autoRuns (default null: a fixed --runs) and inference.stopping (default null).
 *      info.kvCache (the per-layer KV cache layout) added later, optional: older results lack it and readers fall
 *      back to info.kvBytesPerToken.
 *      config.quality and ModelResult.quality (run --quality: perplexity, KL divergence) added later, optional
 *      (absent in older files, readers treat absent as not measured); Stage gained "quality".
 *      Engines (2026-11-30, readers default them): settings.engine ("node-llama-cpp"), config.sweep.engine,
 *      config.serving, environment.engines and environment.nodeLlamaCppBuild, samples' and contexts' optional
 *      `server` timings, models' `concurrency` levels.
 *      2026-11-30: optional ModelResult.otherCpu (other processes' share of the CPU per stage); absent in older
 *      files, where readers know nothing of it and warn of nothing.
 *      Readers reject negative times, sizes and rates (gguf-bench never wrote them) since 2026-11-30.
 *      2026-11-30: samples' and contexts' promptTokensPerSecond / generationTokensPerSecond may be null (not
 *      measured: an empty span, e.g. every token in one chunk, or a single output token); older files wrote 0
 *      there and still read as they are.
 *      2026-11-30: optional RunResults.notRun (the cases a stopped run never started, each with its reason); absent
 *      in older files, where readers take it as none.
 *      2026-12-01: a request's ITL is null (no longer 0) when every token came in one chunk; optional
 *      concurrency levels' itlNotMeasured (how many finished requests had no ITL, and why); absent in older files.
 *      2026-12-01: environment.llamaCppCommit and llamaCppCommitNotRecordedReason (the llama.cpp commit of
 *      node-llama-cpp's bundled source); readers default them to null and LLAMA_CPP_COMMIT_NOT_RECORDED.
 *      2026-12-01: optional config.loadAtStart (the start-of-run 1-minute load average and core count, as numbers);
 *      absent in older files (they said it only in a note's text), where readers take it as not recorded (null).
 *      2026-12-01: a concurrency level's requestsPerSecond and outputTokensPerSecond are null (no longer 0) when the
 *      level took 0 ms, with the optional throughputNotMeasuredReason; absent in older files (readers take null).
 *      2026-12-01: ModelResult.status "interrupted" (a stop cut the case short; what it finished is kept). Older
 *      files wrote "partial" or "failed" with the stop's error (code "interrupted"): readers take those as
 *      "interrupted" (src/results/caseStatus.ts).
 *      2026-12-01: optional info.tokenizer (the stored tokenizer model, its token and merge counts); absent in older
 *      files, where the estimate takes the vocabulary size and no merges.
 */
import type { ModelInfo } from "../gguf/modelInfo.ts";

export const SCHEMA_VERSION = 1 as const;

/** Environment.llamaCppCommitNotRecordedReason of a file written before the commit was recorded. */
export const LLAMA_CPP_COMMIT_NOT_RECORDED = "not recorded in files written before 2026-12-01";

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
  /** The cases planned but never started (the run was stopped first); absent in files before 2026-11-30. */
  notRun?: NotRunCase[];
}

/** A model × settings case the run planned but never started: nothing of it was measured. */
export interface NotRunCase {
  /** The id it would have had, e.g. "tiny.gguf#1". */
  caseId: string;
  label: string;
  file: string;
  synthetic: boolean;
  settings: CaseSettings;
  /** Why: "interrupted" (Ctrl-C or a stop signal came before it). */
  code: "interrupted";
  message: string;
}

export interface Environment {
  os: { platform: string; release: string; distro: string; arch: string };
  hostname: string;
  cpu: {
    /** Model name as the OS reports it (a VM may shorten it, e.g. "AMD EPYC": family and model then identify it). */
    model: string;
    /** "AMD", "Intel", "ARM", …; "" when unknown (files before 2026-11-30). */
    vendor: string;
    /** CPUID family / model / stepping (x86), or the Arm part numbers; null when unknown. */
    family: number | null;
    modelNumber: number | null;
    stepping: number | null;
    logicalCores: number;
    physicalCores: number;
    availableParallelism: number;
    /** Speed-relevant SIMD features, llama.cpp's names (AVX2, AVX512F, AVX512_VNNI, AMX_INT8, NEON, SVE, …). */
    simd: string[];
    caches: {
      l1dBytes: number | null;
      l1iBytes: number | null;
      l2Bytes: number | null;
      l3Bytes: number | null;
      /** Where the sizes came from, or why they are unknown. */
      source: string;
    };
  };
  memory: { totalBytes: number; availableBytes: number };
  gpus: { vendor: string; model: string; vramBytes: number | null }[];
  /** Filesystem / device the model files are read from. */
  storage: { path: string; filesystem: string; device: string; type: string } | null;
  node: string;
  nodeLlamaCpp: string;
  /**
   * node-llama-cpp's own label of its llama.cpp (`<repo>@<release>` from its llama.cpp.info.json, e.g.
   * "ggml-org/llama.cpp@v0.4.0"): a label, not necessarily a llama.cpp release; llamaCppCommit says the source.
   */
  llamaCppBuild: string;
  /**
   * The llama.cpp commit (40 hex) node-llama-cpp ships as its source and builds from: the HEAD of its
   * llama/gitRelease.bundle. Null when not known, with `llamaCppCommitNotRecordedReason`.
   */
  llamaCppCommit: string | null;
  /** Why llamaCppCommit is null (no bundle, node-llama-cpp did not run, an older file); null when it is known. */
  llamaCppCommitNotRecordedReason: string | null;
  /** "cpu" | "cuda" | "vulkan" | "metal" */
  backend: string;
  /** llama.cpp's own system info line (llama_print_system_info: the CPU features it was built for and uses), or null. */
  llamaCppSystemInfo: string | null;
  /** Measured streaming read bandwidth of this machine, when measured. */
  memoryBandwidthBytesPerSecond: number | null;
  /** Which node-llama-cpp binding ran: its prebuilt binary or a local build from source; null when unknown. */
  nodeLlamaCppBuild: "prebuilt" | "localBuild" | null;
  /** The engines other than node-llama-cpp that this run used, with their binaries and versions. */
  engines: EngineEnvironment[];
}

/** The engines a run can measure the same plan on (a load-level sweep dimension). */
export type EngineName = "node-llama-cpp" | "llama-server" | "openai";

export interface EngineEnvironment {
  engine: EngineName;
  /** The binary gguf-bench started (llama-server), or null (openai: someone else's server). */
  binary: string | null;
  /** e.g. "1 (80fb11a), GNU 12.2.0 for Linux x86_64"; null when the engine does not say. */
  version: string | null;
  /** The endpoint's base URL (openai), or null. */
  endpoint: string | null;
}

export interface RunConfig {
  /** Timed runs per prompt: exactly these with a fixed --runs N; the minimum with --runs auto. */
  runs: number;
  /** --runs auto: the precision target and caps (src/stats/autoRuns.ts); null for a fixed --runs N. */
  autoRuns: { targetCiFraction: number; maxRuns: number; timeBudgetMs: number } | null;
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
    engine: EngineName[];
  };
  /** How the thread default was chosen, e.g. "os.availableParallelism() = 2". */
  threadsSource: string;
  /** What the run decided and the reader should know (a clamped context, how the page cache was set, a busy machine). */
  notes: string[];
  /**
   * The start-of-run check of competition for the CPU (src/stats/busyStages.ts decides "busy" from these numbers);
   * null or absent when not recorded (no load average on this OS; files before 2026-12-01).
   */
  loadAtStart?: LoadAtStart | null;
  /** No --ubatch-size given: each case's micro-batch equals its batch size (node-llama-cpp 3.21.1 ties them). */
  ubatchFollowsBatch: boolean;
  /** The quality stage's settings (run --quality); absent or null when it did not run. */
  quality?: QualityConfig | null;
  serving: ServingConfig;
}

/** The machine's load when the run started, as the OS reports it. */
export interface LoadAtStart {
  /** 1-minute load average (runnable and uninterruptible tasks, averaged), as os.loadavg()[0]. */
  loadAverage1m: number;
  /** The cores it is compared with (os.availableParallelism()). */
  cores: number;
}

/** How the serving engines were set up and the concurrency stage run. */
export interface ServingConfig {
  /** --llama-server PATH, or null for the one `gguf-bench engine build` built. */
  llamaServerPath: string | null;
  /** --endpoint URL of the openai engine (base URL, e.g. http://host:8000/v1), or null. */
  endpoint: string | null;
  /** --served-model NAME sent as `model` to the endpoint, or null (the server's default). */
  servedModel: string | null;
  /** --api-key-env VAR: the environment variable holding the API key (its value is never recorded). */
  apiKeyEnv: string | null;
  /** A request whose stream sends nothing for this long is abandoned and recorded as an error. */
  requestTimeoutMs: number;
  /** --concurrency levels; empty when the concurrency stage does not run. */
  concurrency: number[];
  /** Requests sent at each concurrency level (closed loop). */
  requestsPerLevel: number;
}

/** How `run --quality` scored the models: one text, one chunk size, optionally one reference model. */
export interface QualityConfig {
  /** "built-in" or the --quality-text path as given. */
  textSource: string;
  textSha256: string;
  textCharacters: number;
  /** The exact text scored, copied into the output folder (a name relative to it). */
  textFile: string;
  /** Tokens per chunk (llama-perplexity's n_ctx); the second half of each chunk is scored. */
  contextSize: number;
  /** The quality budget of the recommendation: largest acceptable mean KLD in nats (--max-kld). */
  maxKldNats: number;
  reference: QualityReference | null;
}

export interface QualityReference {
  /** The reference model (--reference) as given, its display name and header fingerprint. */
  file: string;
  label: string;
  fingerprint: string;
  /** Its next-token distributions over the text, in the output folder (a name relative to it). */
  distributionsFile: string;
  /** How computing them went; null until they have been computed. */
  outcome: ReferenceOutcome | null;
}

export type ReferenceOutcome =
  | {
      status: "ok";
      vocabSize: number;
      /** Tokens of the text as the reference tokenises it (BOS included), chunks evaluated, positions scored. */
      textTokens: number;
      chunks: number;
      scoredTokens: number;
      /** Reference tokens kept per position (the whole vocabulary when equal to vocabSize). */
      topK: number;
      /** Mean probability mass of the reference outside the kept tokens. */
      meanRestMass: number;
      /** The reference's own perplexity over the scored positions. */
      perplexity: number;
      perplexityStandardError: number | null;
      fileBytes: number;
      durationMs: number;
    }
  | { status: "error"; code: string; message: string };

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
  engine: EngineName;
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
  /**
   * "ok"; "partial": something measured, something not (an error, a stage missing); "failed": nothing measured, or
   * the process failed (timeout, crash, kill) before the case finished; "interrupted": a stop (Ctrl-C or another
   * stop signal) cut it short, its finished stages kept: not a failure of the model. Files before 2026-12-01 wrote
   * "partial"/"failed" for that; read through caseStatus().
   */
  status: "ok" | "partial" | "failed" | "interrupted";
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
  /** The concurrency stage, one entry per level (empty when it did not run). */
  concurrency: ConcurrencyResult[];
  errors: StageError[];
  /**
   * Perplexity and KL divergence (run --quality), measured once per load group on its first case's settings;
   * absent or null for the other cases of the group and when the stage did not run.
   */
  quality?: QualityResult | null;
  /**
   * How much CPU other processes took during each stage of this case (and of its load group's load and cleanup),
   * in the order the stages ran; absent in files before 2026-11-30.
   */
  otherCpu?: StageCpuShare[];
}

/**
 * StageCpuShare.detail of the untimed engine warm-up (an "inference" stage the worker runs before the timed runs):
 * none of its figures are reported, so its share is shown but never flags them.
 */
export const ENGINE_WARM_UP_DETAIL = "engine warm-up (untimed)";

/**
 * One stage's competition for the CPU, read from outside at its boundaries: the machine's busy time (/proc/stat)
 * minus our own processes' CPU time (gguf-bench and the process it measures, /proc/<pid>/stat), over every core's
 * time. llama.cpp's threads wait for each other at barriers, so a stage that shared the cores ran far below this
 * machine's real speed.
 */
export interface StageCpuShare {
  stage: Stage;
  /**
   * What the stage did ("512 tokens", "concurrency 2", ENGINE_WARM_UP_DETAIL); "" for load and quality (their
   * details name files).
   */
  detail: string;
  wallMs: number;
  /** Share (0–1) of all cores' time used by other processes during the stage; null when not measured. */
  otherCpuFraction: number | null;
  /** Why otherCpuFraction is null (not Linux, a remote endpoint, a stage too short to tell); null when measured. */
  unmeasuredReason: string | null;
}

export type QualityResult =
  | QualityMeasured
  | { status: "skipped"; reason: string }
  | { status: "error"; code: string; message: string };

/** What the quality stage measured for one model over the quality text. */
export interface QualityMeasured {
  status: "ok";
  /** Tokens per chunk and the batch size used (min of the case's batch size and the chunk). */
  contextSize: number;
  batchSize: number;
  /** Tokens of the text (BOS included), whole chunks evaluated, next tokens scored. */
  textTokens: number;
  chunks: number;
  scoredTokens: number;
  /** "model": tokenised by the model itself; "reference": the reference's tokens (KL mode, as llama-perplexity). */
  tokensFrom: "model" | "reference";
  durationMs: number;
  msPerScoredToken: number;
  /** Peak RSS of the child during the stage (kernel high-water mark, reset at its start). */
  peakRssBytes: number;
  /** exp(mean negative log-likelihood of each scored next token), with its standard error. */
  perplexity: number;
  perplexityStandardError: number | null;
  /** Against the reference; null without one. */
  kld: KldResult | null;
  /** What the reader must know about how the figures were taken. */
  notes: string[];
}

/** KL divergence from the reference, defined as llama-perplexity's --kl-divergence defines each figure. */
export interface KldResult {
  referenceLabel: string;
  referenceFingerprint: string;
  positions: number;
  /** KL(reference ‖ model) per scored position, nats: mean ± standard error, median, 99th percentile, maximum. */
  meanNats: number;
  standardErrorNats: number | null;
  medianNats: number;
  p99Nats: number;
  maxNats: number;
  /** Fraction of positions where the model's most likely token is the reference's ("same top p"). */
  sameTopFraction: number;
  sameTopStandardError: number | null;
  /** RMS of Δp = p_model − p_reference of the text's next token (a fraction, not percent). */
  rmsDeltaP: number;
  rmsDeltaPStandardError: number | null;
  /** The reference's perplexity over the same positions. */
  referencePerplexity: number;
}

export type ProcessOutcome = "ok" | "error" | "crash" | "timeout" | "killed" | "interrupted";
export type Stage = "metadata" | "load" | "inference" | "contexts" | "quality" | "cleanup" | "process";

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
  /** promptTokens ÷ promptMs; null when not measured (an empty span: src/metrics/requestMetrics.ts says why). */
  promptTokensPerSecond: number | null;
  /** Time from the request to the first generated token (prefill + first decode). */
  ttftMs: number;
  outputTokens: number;
  generationMs: number;
  /**
   * (outputTokens − 1) ÷ generationMs; null when not measured: one output token, or every token in one chunk (a
   * generation span of 0 ms on the client's clock).
   */
  generationTokensPerSecond: number | null;
  totalMs: number;
  /** Peak RSS of the engine's process during the request; null when the process is not ours (a remote endpoint). */
  peakRssBytes: number | null;
  /** The server's own clock for this request (llama-server `timings`), beside the client's; absent in-process. */
  server?: ServerTimings | null;
}

/**
 * What a server reported about one request (llama-server's `timings`): engine time without HTTP. Client time −
 * server time is the serving overhead.
 */
export interface ServerTimings {
  promptTokens: number;
  promptMs: number;
  predictedTokens: number;
  predictedMs: number;
}

export interface Summary {
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1). */
  sd: number;
  min: number;
  max: number;
  median: number;
  /** 95% confidence interval of the mean (how: `ciMethod`). */
  ci95Low: number;
  ci95High: number;
  /**
   * "log-cox": every value positive, interval of the mean by the modified Cox method on the log scale (always
   * positive; src/stats/summary.ts); "t": Student t with n − 1 degrees of freedom (results before 2026-11-30).
   */
  ciMethod: "log-cox" | "t";
  /** Coefficient of variation sd / mean (0 when mean is 0). */
  cv: number;
}

/** The per-request metrics an inference stage summarises, in the order results and reports list them. */
export const INFERENCE_METRIC_ORDER = [
  "totalMs",
  "ttftMs",
  "promptTokensPerSecond",
  "generationTokensPerSecond",
  "outputTokens",
  "peakRssBytes",
] as const;
export type InferenceMetric = (typeof INFERENCE_METRIC_ORDER)[number];

export interface Warning {
  code: "first-run-slow" | "high-cv" | "outlier" | "roofline-exceeded" | "environment-differs" | string;
  message: string;
  /** What to do about it. */
  hint: string;
  metric?: string;
}

/** How many timed runs a case's inference figures took, and why the runs stopped there. */
export interface RunStopping {
  /** "fixed": --runs N; "auto": --runs auto (config.autoRuns). */
  mode: "fixed" | "auto";
  /** Timed runs of each prompt (a round runs every prompt once). */
  runsPerPrompt: number;
  /**
   * "fixed": the N runs asked for; "ci-within-target": every checked figure's 95% CI half-width came within
   * config.autoRuns.targetCiFraction of its mean; "max-runs" / "time-budget": a cap was reached first.
   */
  reason: "fixed" | "ci-within-target" | "max-runs" | "time-budget";
  /** The target of --runs auto (0.05 = ±5%); null for a fixed count. */
  targetCiFraction: number | null;
  /** CI half-width / mean of the checked figures (generation and prompt tokens/s) when the runs stopped. */
  ciHalfWidthFraction: Partial<Record<InferenceMetric, number>>;
  /** Wall time of the timed runs. */
  timedMs: number;
}

export interface InferenceResult {
  contextSize: number;
  /** Warm-up samples included (flagged); summaries exclude them. */
  samples: InferenceSample[];
  /** Over all timed samples of all prompts. */
  summaries: Record<InferenceMetric, Summary>;
  warnings: Warning[];
  /** How many runs and why they stopped; null when the worker ended before saying (a crash) or in older files. */
  stopping: RunStopping | null;
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
      /** As in InferenceSample: null when not measured (an empty span). */
      promptTokensPerSecond: number | null;
      generationTokensPerSecond: number | null;
      /** RSS right after the context was created (before the prompt); null for a remote endpoint (not ours). */
      afterCreateRssBytes: number | null;
      /** Peak RSS while this context existed; null for a remote endpoint. */
      peakRssBytes: number | null;
      /** RSS after generation, context still alive; null for a remote endpoint. */
      endRssBytes: number | null;
      server?: ServerTimings | null;
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

/** A latency distribution: the summary plus percentiles (linear interpolation, Hyndman & Fan type 7). */
export interface LatencySummary extends Summary {
  p50: number;
  p90: number;
  p99: number;
}

/**
 * One level of the concurrency stage: `concurrency` closed-loop streams (each sends its next request when its
 * last one ended) until `requests` requests were sent.
 */
export type ConcurrencyResult =
  | {
      concurrency: number;
      status: "ok";
      requests: number;
      /** Requests that ended in an error (HTTP error, broken or stalled stream), with the first few reasons. */
      errorCount: number;
      errors: string[];
      /** From the first request sent to the last one finished. */
      durationMs: number;
      /** Finished requests ÷ duration; null when the level took 0 ms (see throughputNotMeasuredReason). */
      requestsPerSecond: number | null;
      /** Generated tokens of every finished request ÷ duration; null when the level took 0 ms. */
      outputTokensPerSecond: number | null;
      /**
       * Why the two rates above are null (a level that took no measurable time); null when they were measured.
       * Absent in files written before 2026-12-01, which wrote 0 for such a level.
       */
      throughputNotMeasuredReason?: string | null;
      ttftMs: LatencySummary;
      /**
       * Per-request inter-token latency (E2E − TTFT) ÷ (tokens − 1), over the finished requests that had one
       * (`itlNotMeasured` counts the others).
       */
      itlMs: LatencySummary;
      /**
       * Finished requests without an ITL (one output token, or every token in one chunk: no span to time) and their
       * distinct reasons (the first 5). Absent in files written before 2026-12-01, whose ITL may hold 0 for those.
       */
      itlNotMeasured?: { requests: number; reasons: string[] };
      e2eMs: LatencySummary;
      /** Peak RSS of the engine's process over the level; null for a remote endpoint (not measurable). */
      peakRssBytes: number | null;
    }
  | { concurrency: number; status: "unsupported"; reason: string }
  | { concurrency: number; status: "error"; code: string; message: string };
