/**
 * Builds RunResults fixtures in code: realistic shapes, every field filled, summaries computed from the
 * samples given, so tests state only what they care about (labels, fingerprints, settings, sample values).
 */
import type { ModelInfo } from "../../src/gguf/modelInfo.ts";
import type {
  CaseSettings,
  ContextResult,
  Environment,
  InferenceMetric,
  InferenceSample,
  ModelResult,
  RunConfig,
  RunResults,
  Summary,
} from "../../src/results/types.ts";
import { INFERENCE_METRIC_ORDER } from "../../src/results/types.ts";
import { studentTQuantile } from "../../src/stats/studentT.ts";
import { parseServingOptions } from "../../src/suite/parseServingOptions.ts";
import { groupCase } from "./groupJob.ts";

export function buildEnvironment(overrides: Partial<Environment> = {}): Environment {
  return {
    os: { platform: "linux", release: "6.8.0", distro: "Ubuntu 24.04", arch: "x64" },
    hostname: "bench-host",
    cpu: {
      model: "Test CPU 9000",
      vendor: "AMD",
      family: 26,
      modelNumber: 2,
      stepping: 1,
      logicalCores: 2,
      physicalCores: 2,
      availableParallelism: 2,
      simd: ["AVX2", "AVX512F"],
      caches: { l1dBytes: 49152, l1iBytes: 32768, l2Bytes: 1048576, l3Bytes: 33554432, source: "test" },
    },
    memory: { totalBytes: 25769803776, availableBytes: 20000000000 },
    gpus: [],
    storage: { path: "/models", filesystem: "ext4", device: "/dev/sda1", type: "ssd" },
    node: "v20.20.2",
    nodeLlamaCpp: "3.21.1",
    llamaCppBuild: "b6000",
    llamaCppCommit: "80fb11ac73e66d89eae2c6a91d8a77428fa733ed",
    llamaCppCommitNotRecordedReason: null,
    backend: "cpu",
    llamaCppSystemInfo: "CPU : SSE3 = 1 | AVX2 = 1 | AVX512 = 1 | REPACK = 1 |",
    memoryBandwidthBytesPerSecond: null,
    nodeLlamaCppBuild: "prebuilt",
    engines: [],
    ...overrides,
  };
}

/** A case's settings in a results file: groupCase's defaults (a plain `run`) on 2 threads, unless overridden. */
export function buildSettings(overrides: Partial<CaseSettings> = {}): CaseSettings {
  return groupCase({ threads: 2, ...overrides });
}

export function buildModelInfo(file: string, overrides: Partial<ModelInfo> = {}): ModelInfo {
  return {
    file,
    files: [file],
    fileBytes: 1_171_648,
    ggufVersion: 3,
    architecture: "llama",
    name: "stories260K",
    sizeLabel: null,
    parameterCount: 292_800,
    fileType: 0,
    quantization: "F32",
    tensorTypes: { F32: { count: 48, bytes: 1_171_200 } },
    tensorDataBytes: 1_171_200,
    contextLength: 2048,
    embeddingLength: 64,
    blockCount: 5,
    headCount: 8,
    headCountKv: 4,
    headCountKvPerLayer: null,
    headDim: 8,
    valueDim: 8,
    feedForwardLength: 172,
    vocabSize: 512,
    slidingWindow: null,
    rope: { dimensionCount: 8, freqBase: 10000, scalingType: null, scalingFactor: null, originalContextLength: null },
    moe: null,
    kvBytesPerToken: { f16: 640, q8_0: 340 },
    ...overrides,
  };
}

/** Summary of values computed independently of the stats module (sd n − 1, Student-t 95% CI, as results before 2026-11-30). */
export function summarize(values: number[]): Summary {
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1)) : 0;
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(n / 2);
  const median = n % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  const half = n > 1 ? studentTQuantile(0.975, n - 1) * (sd / Math.sqrt(n)) : 0;
  return {
    n,
    mean,
    sd,
    min: sorted[0] as number,
    max: sorted[n - 1] as number,
    median,
    ci95Low: mean - half,
    ci95High: mean + half,
    ciMethod: "t",
    cv: mean === 0 ? 0 : sd / mean,
  };
}

/** Per-run values of each metric; lengths must match. Missing metrics get plausible constant-ish values. */
export type SampleValues = Partial<Record<InferenceMetric, number[]>>;

export interface ModelSpec {
  label: string;
  fingerprint?: string;
  settings?: Partial<CaseSettings>;
  status?: ModelResult["status"];
  samples?: SampleValues;
  contexts?: ContextResult[];
  caseId?: string;
}

export function buildSamples(values: SampleValues): InferenceSample[] {
  const n = Math.max(1, ...Object.values(values).map((v) => v.length));
  const pick = (metric: InferenceMetric, i: number, fallback: number) => values[metric]?.[i] ?? fallback;
  const samples: InferenceSample[] = [];
  for (let i = 0; i < n; i++) {
    const generationTokensPerSecond = pick("generationTokensPerSecond", i, 500 + i);
    const outputTokens = pick("outputTokens", i, 64);
    const promptTokensPerSecond = pick("promptTokensPerSecond", i, 2000 + i);
    samples.push({
      promptId: "short",
      run: i,
      warmup: false,
      promptTokens: 32,
      promptMs: (32 / promptTokensPerSecond) * 1000,
      promptTokensPerSecond,
      ttftMs: pick("ttftMs", i, 20 + i),
      outputTokens,
      generationMs: (outputTokens / generationTokensPerSecond) * 1000,
      generationTokensPerSecond,
      totalMs: pick("totalMs", i, 150 + i),
      peakRssBytes: pick("peakRssBytes", i, 50_000_000 + i * 1000),
    });
  }
  return samples;
}

export function buildModel(spec: ModelSpec, index = 0): ModelResult {
  const file = `/models/${spec.label}`;
  const samples = buildSamples(spec.samples ?? {});
  const failed = spec.status === "failed";
  const summaries = Object.fromEntries(
    INFERENCE_METRIC_ORDER.map((m) => [m, summarize(samples.map((s) => s[m] ?? 0))]),
  ) as Record<InferenceMetric, Summary>;
  const snapshot = { vmRssBytes: 40e6, rssAnonBytes: 30e6, rssFileBytes: 10e6, vmHwmBytes: 41e6, vmSizeBytes: 900e6 };
  return {
    caseId: spec.caseId ?? `${spec.label}#${index + 1}`,
    label: spec.label,
    file,
    fileFingerprint: spec.fingerprint ?? `fp-${spec.label}`,
    synthetic: false,
    info: buildModelInfo(file),
    settings: buildSettings(spec.settings),
    status: spec.status ?? "ok",
    process: {
      pid: 4242 + index,
      outcome: failed ? "crash" : "ok",
      exitCode: failed ? null : 0,
      signal: failed ? "SIGSEGV" : null,
      wallMs: 1234.5,
    },
    load: failed
      ? null
      : {
          durationMs: 12.5,
          mmap: true,
          cache: "unknown",
          before: snapshot,
          after: { ...snapshot, rssFileBytes: 11e6 },
          peakRssBytes: 42e6,
          firstDecodeMs: 3.25,
          deviceVramUsedBytes: null,
        },
    inference: failed
      ? null
      : {
          contextSize: 512,
          samples: [{ ...(samples[0] as InferenceSample), run: -1, warmup: true }, ...samples],
          summaries,
          warnings: [],
          stopping: null,
        },
    contexts: spec.contexts ?? [],
    cleanup: null,
    concurrency: [],
    errors: failed ? [{ stage: "process", code: "crash", message: "child ended by SIGSEGV" }] : [],
  };
}

export interface RunSpec {
  runId?: string;
  startedAt?: string;
  finishedAt?: string | null;
  interrupted?: boolean;
  environment?: Partial<Environment>;
  models?: ModelSpec[];
  maxTokens?: number;
}

let counter = 0;
/** A fresh uuid-shaped id; deterministic per process so failures are reproducible. */
export function nextRunId(): string {
  counter++;
  // The counter leads so that short id prefixes (as `history` shows them) differ between runs.
  return `${counter.toString(16).padStart(8, "0")}-0000-4000-8000-${process.pid.toString(16).padStart(12, "0")}`;
}

/** A run's sweep: one case (2 threads, n_batch = n_ubatch = 512, f16 KV, mmap, CPU, node-llama-cpp), or `overrides`. */
export function buildSweep(overrides: Partial<RunConfig["sweep"]> = {}): RunConfig["sweep"] {
  return {
    threads: [2],
    batchSize: [512],
    ubatchSize: [512],
    flashAttention: [false],
    kvCacheType: ["f16"],
    mmap: [true],
    gpuLayers: [0],
    cache: ["unknown"],
    engine: ["node-llama-cpp"],
    ...overrides,
  };
}

/** A run's configuration: 3 runs after 1 warm-up, 64 tokens, contexts 512 and 1024, buildSweep(), or `overrides`. */
export function buildConfig(overrides: Partial<RunConfig> = {}): RunConfig {
  return {
    runs: 3,
    autoRuns: null,
    warmupRuns: 1,
    maxTokens: 64,
    contexts: [512, 1024],
    inferenceContextSize: 512,
    seed: 42,
    timeoutMs: 600_000,
    allowBeyondTrainingContext: false,
    prompts: [{ id: "short", title: "Short", text: "Once upon a time" }],
    sweep: buildSweep(),
    threadsSource: "os.availableParallelism() = 2",
    notes: [],
    ubatchFollowsBatch: true,
    // What a run without serving options records.
    serving: parseServingOptions({}, ["node-llama-cpp"], []),
    ...overrides,
  };
}

export function buildRun(spec: RunSpec = {}): RunResults {
  return {
    schemaVersion: 1,
    tool: { name: "gguf-bench", version: "0.1.0" },
    runId: spec.runId ?? nextRunId(),
    startedAt: spec.startedAt ?? "2026-11-26T06:00:00.000Z",
    finishedAt: spec.finishedAt === undefined ? "2026-11-26T06:05:00.000Z" : spec.finishedAt,
    interrupted: spec.interrupted ?? false,
    environment: buildEnvironment(spec.environment),
    config: buildConfig({ maxTokens: spec.maxTokens ?? 64 }),
    models: (spec.models ?? [{ label: "stories260K.gguf" }]).map((m, i) => buildModel(m, i)),
  };
}

export function okContext(contextSize: number, generationTokensPerSecond: number): ContextResult {
  return {
    contextSize,
    status: "ok",
    promptTokens: 32,
    outputTokens: 64,
    promptMs: 16,
    generationMs: (64 / generationTokensPerSecond) * 1000,
    totalMs: 16 + (64 / generationTokensPerSecond) * 1000,
    ttftMs: 18,
    promptTokensPerSecond: 2000,
    generationTokensPerSecond,
    afterCreateRssBytes: 45e6,
    peakRssBytes: 46e6 + contextSize * 1000,
    endRssBytes: 45.5e6,
  };
}
