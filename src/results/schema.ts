/**
 * The zod mirror of src/results/types.ts, used to validate results.json files made elsewhere (import,
 * compare, report) and to publish docs/results.schema.json. The type check at the bottom fails the build
 * whenever the two drift apart, so edit both together.
 */
import { z } from "zod";
import { LLAMA_CPP_COMMIT_NOT_RECORDED, type RunResults, SCHEMA_VERSION } from "./types.ts";

const count = z.number().int().nonnegative();
/** A measured time (ms), size (bytes) or rate (tokens/s): never negative, so a file that says so is not ours. */
const measured = z.number().nonnegative();
const nullableNumber = z.number().nullable();

const kvLayerGroupSchema = z.object({ layers: count, kElementsPerToken: count, vElementsPerToken: count });
const kvCacheLayoutSchema = z.discriminatedUnion("status", [
  z.object({
    status: z.literal("known"),
    full: kvLayerGroupSchema,
    slidingWindow: kvLayerGroupSchema.extend({ windowTokens: count, chunked: z.boolean() }).nullable(),
    vElementsMaxPerLayer: count,
    mla: z.boolean(),
    recurrent: z.object({ layers: count, stateBytes: count }).nullable(),
  }),
  z.object({ status: z.literal("unknown"), reason: z.string() }),
]);

const modelInfoSchema = z.object({
  file: z.string(),
  files: z.array(z.string()),
  fileBytes: count,
  ggufVersion: count,
  architecture: z.string(),
  name: z.string().nullable(),
  sizeLabel: z.string().nullable(),
  parameterCount: count,
  fileType: z.number().int().nullable(),
  quantization: z.string(),
  tensorTypes: z.record(z.string(), z.object({ count, bytes: count })),
  tensorDataBytes: count,
  contextLength: nullableNumber,
  embeddingLength: nullableNumber,
  blockCount: nullableNumber,
  headCount: nullableNumber,
  headCountKv: nullableNumber,
  headCountKvPerLayer: z.array(z.number()).nullable(),
  headDim: nullableNumber,
  valueDim: nullableNumber,
  feedForwardLength: nullableNumber,
  vocabSize: nullableNumber,
  tokenizer: z.object({ model: z.string().nullable(), tokenCount: nullableNumber, mergeCount: count }).optional(),
  slidingWindow: nullableNumber,
  rope: z.object({
    dimensionCount: nullableNumber,
    freqBase: nullableNumber,
    scalingType: z.string().nullable(),
    scalingFactor: nullableNumber,
    originalContextLength: nullableNumber,
  }),
  moe: z
    .object({
      expertCount: count,
      expertUsedCount: count,
      fractionActive: z.number(),
      activeParameterCount: z.number(),
    })
    .nullable(),
  kvBytesPerToken: z.object({ f16: z.number(), q8_0: z.number() }).nullable(),
  kvCache: kvCacheLayoutSchema.optional(),
  activeWeightBytesPerToken: z.number().nullable().optional(),
});

const engineNameSchema = z.enum(["node-llama-cpp", "llama-server", "openai"]);

const environmentSchema = z.object({
  os: z.object({ platform: z.string(), release: z.string(), distro: z.string(), arch: z.string() }),
  hostname: z.string(),
  cpu: z.object({
    model: z.string(),
    vendor: z.string().default(""),
    family: nullableNumber.default(null),
    modelNumber: nullableNumber.default(null),
    stepping: nullableNumber.default(null),
    logicalCores: count,
    physicalCores: count,
    availableParallelism: count,
    simd: z.array(z.string()).default([]),
    caches: z
      .object({
        l1dBytes: nullableNumber,
        l1iBytes: nullableNumber,
        l2Bytes: nullableNumber,
        l3Bytes: nullableNumber,
        source: z.string(),
      })
      .default({ l1dBytes: null, l1iBytes: null, l2Bytes: null, l3Bytes: null, source: "not recorded (older file)" }),
  }),
  memory: z.object({ totalBytes: measured, availableBytes: measured }),
  gpus: z.array(z.object({ vendor: z.string(), model: z.string(), vramBytes: nullableNumber })),
  storage: z.object({ path: z.string(), filesystem: z.string(), device: z.string(), type: z.string() }).nullable(),
  node: z.string(),
  nodeLlamaCpp: z.string(),
  llamaCppBuild: z.string(),
  llamaCppCommit: z
    .string()
    .regex(/^[0-9a-f]{40}$/)
    .nullable()
    .default(null),
  llamaCppCommitNotRecordedReason: z.string().nullable().default(LLAMA_CPP_COMMIT_NOT_RECORDED),
  backend: z.string(),
  llamaCppSystemInfo: z.string().nullable().default(null),
  memoryBandwidthBytesPerSecond: nullableNumber,
  nodeLlamaCppBuild: z.enum(["prebuilt", "localBuild"]).nullable().default(null),
  engines: z
    .array(
      z.object({
        engine: engineNameSchema,
        binary: z.string().nullable(),
        version: z.string().nullable(),
        endpoint: z.string().nullable(),
      }),
    )
    .default([]),
});

const kvCacheTypeSchema = z.enum(["f16", "q8_0"]);
const cacheStateSchema = z.enum(["cold", "warm", "unknown"]);

const runConfigSchema = z.object({
  runs: count,
  autoRuns: z
    .object({ targetCiFraction: z.number().positive(), maxRuns: count, timeBudgetMs: z.number() })
    .nullable()
    .default(null),
  warmupRuns: count,
  maxTokens: count,
  contexts: z.array(count),
  inferenceContextSize: count,
  seed: z.number(),
  timeoutMs: measured,
  allowBeyondTrainingContext: z.boolean(),
  prompts: z.array(z.object({ id: z.string(), title: z.string(), text: z.string() })),
  sweep: z.object({
    threads: z.array(count),
    batchSize: z.array(count),
    ubatchSize: z.array(count),
    flashAttention: z.array(z.boolean()),
    kvCacheType: z.array(kvCacheTypeSchema),
    mmap: z.array(z.boolean()),
    gpuLayers: z.array(z.number().int()),
    cache: z.array(cacheStateSchema),
    engine: z.array(engineNameSchema).default(["node-llama-cpp"]),
  }),
  threadsSource: z.string(),
  notes: z.array(z.string()).default([]),
  loadAtStart: z.object({ loadAverage1m: measured, cores: z.number().int().positive() }).nullable().optional(),
  ubatchFollowsBatch: z.boolean().default(false),
  quality: z
    .object({
      textSource: z.string(),
      textSha256: z.string(),
      textCharacters: count,
      textFile: z.string(),
      contextSize: count,
      maxKldNats: z.number(),
      reference: z
        .object({
          file: z.string(),
          label: z.string(),
          fingerprint: z.string(),
          distributionsFile: z.string(),
          outcome: z
            .discriminatedUnion("status", [
              z.object({
                status: z.literal("ok"),
                vocabSize: count,
                textTokens: count,
                chunks: count,
                scoredTokens: count,
                topK: count,
                meanRestMass: z.number(),
                perplexity: z.number(),
                perplexityStandardError: nullableNumber,
                fileBytes: count,
                durationMs: z.number(),
              }),
              z.object({ status: z.literal("error"), code: z.string(), message: z.string() }),
            ])
            .nullable(),
        })
        .nullable(),
    })
    .nullable()
    .optional(),
  serving: z
    .object({
      llamaServerPath: z.string().nullable(),
      endpoint: z.string().nullable(),
      servedModel: z.string().nullable(),
      apiKeyEnv: z.string().nullable(),
      requestTimeoutMs: z.number(),
      concurrency: z.array(count),
      requestsPerLevel: count,
    })
    .default({
      llamaServerPath: null,
      endpoint: null,
      servedModel: null,
      apiKeyEnv: null,
      requestTimeoutMs: 300_000,
      concurrency: [],
      requestsPerLevel: 0,
    }),
});

const caseSettingsSchema = z.object({
  threads: count,
  batchSize: count,
  ubatchSize: count,
  flashAttention: z.boolean(),
  kvCacheType: kvCacheTypeSchema,
  mmap: z.boolean(),
  gpuLayers: z.number().int(),
  cache: cacheStateSchema,
  engine: engineNameSchema.default("node-llama-cpp"),
});

const memorySnapshotSchema = z.object({
  vmRssBytes: measured,
  rssAnonBytes: measured,
  rssFileBytes: measured,
  vmHwmBytes: measured,
  vmSizeBytes: measured,
});

const loadResultSchema = z.object({
  durationMs: measured,
  mmap: z.boolean(),
  cache: cacheStateSchema,
  before: memorySnapshotSchema,
  after: memorySnapshotSchema,
  peakRssBytes: measured,
  firstDecodeMs: measured,
  deviceVramUsedBytes: nullableNumber,
});

const serverTimingsSchema = z.object({
  promptTokens: count,
  promptMs: measured,
  predictedTokens: count,
  predictedMs: measured,
});

const inferenceSampleSchema = z.object({
  promptId: z.string(),
  run: z.number().int(),
  warmup: z.boolean(),
  promptTokens: count,
  promptMs: measured,
  promptTokensPerSecond: measured.nullable(),
  ttftMs: measured,
  outputTokens: count,
  generationMs: measured,
  generationTokensPerSecond: measured.nullable(),
  totalMs: measured,
  peakRssBytes: measured.nullable(),
  server: serverTimingsSchema.nullable().optional(),
});

const summarySchema = z.object({
  n: count,
  mean: z.number(),
  sd: measured,
  min: z.number(),
  max: z.number(),
  median: z.number(),
  ci95Low: z.number(),
  ci95High: z.number(),
  ciMethod: z.enum(["log-cox", "t"]).default("t"),
  cv: z.number(),
});

const warningSchema = z.object({
  code: z.string(),
  message: z.string(),
  hint: z.string(),
  metric: z.string().optional(),
});

const inferenceResultSchema = z.object({
  contextSize: count,
  samples: z.array(inferenceSampleSchema),
  // An object rather than z.record(enum) so the JSON Schema lists every metric as required too.
  summaries: z.object({
    totalMs: summarySchema,
    ttftMs: summarySchema,
    promptTokensPerSecond: summarySchema,
    generationTokensPerSecond: summarySchema,
    outputTokens: summarySchema,
    peakRssBytes: summarySchema,
  }),
  warnings: z.array(warningSchema),
  stopping: z
    .object({
      mode: z.enum(["fixed", "auto"]),
      runsPerPrompt: count,
      reason: z.enum(["fixed", "ci-within-target", "max-runs", "time-budget"]),
      targetCiFraction: z.number().nullable(),
      ciHalfWidthFraction: z.object({
        totalMs: z.number().optional(),
        ttftMs: z.number().optional(),
        promptTokensPerSecond: z.number().optional(),
        generationTokensPerSecond: z.number().optional(),
        outputTokens: z.number().optional(),
        peakRssBytes: z.number().optional(),
      }),
      timedMs: z.number(),
    })
    .nullable()
    .default(null),
});

const contextResultSchema = z.discriminatedUnion("status", [
  z.object({
    contextSize: count,
    status: z.literal("ok"),
    promptTokens: count,
    outputTokens: count,
    promptMs: measured,
    generationMs: measured,
    totalMs: measured,
    ttftMs: measured,
    promptTokensPerSecond: measured.nullable(),
    generationTokensPerSecond: measured.nullable(),
    afterCreateRssBytes: measured.nullable(),
    peakRssBytes: measured.nullable(),
    endRssBytes: measured.nullable(),
    server: serverTimingsSchema.nullable().optional(),
  }),
  z.object({ contextSize: count, status: z.literal("skipped"), reason: z.string() }),
  z.object({ contextSize: count, status: z.literal("error"), code: z.string(), message: z.string() }),
]);

const cleanupResultSchema = z.object({
  before: memorySnapshotSchema,
  after: memorySnapshotSchema,
  releasedBytes: z.number(),
  releasedFraction: z.number(),
});

const stageSchema = z.enum(["metadata", "load", "inference", "contexts", "quality", "cleanup", "process"]);

const kldResultSchema = z.object({
  referenceLabel: z.string(),
  referenceFingerprint: z.string(),
  positions: count,
  meanNats: z.number(),
  standardErrorNats: nullableNumber,
  medianNats: z.number(),
  p99Nats: z.number(),
  maxNats: z.number(),
  sameTopFraction: z.number(),
  sameTopStandardError: nullableNumber,
  rmsDeltaP: z.number(),
  rmsDeltaPStandardError: nullableNumber,
  referencePerplexity: z.number(),
});

const qualityResultSchema = z.discriminatedUnion("status", [
  z.object({
    status: z.literal("ok"),
    contextSize: count,
    batchSize: count,
    textTokens: count,
    chunks: count,
    scoredTokens: count,
    tokensFrom: z.enum(["model", "reference"]),
    durationMs: z.number(),
    msPerScoredToken: z.number(),
    peakRssBytes: z.number(),
    perplexity: z.number(),
    perplexityStandardError: nullableNumber,
    kld: kldResultSchema.nullable(),
    notes: z.array(z.string()),
  }),
  z.object({ status: z.literal("skipped"), reason: z.string() }),
  z.object({ status: z.literal("error"), code: z.string(), message: z.string() }),
]);

const latencySummarySchema = summarySchema.extend({ p50: z.number(), p90: z.number(), p99: z.number() });

const concurrencyResultSchema = z.discriminatedUnion("status", [
  z.object({
    concurrency: count,
    status: z.literal("ok"),
    requests: count,
    errorCount: count,
    errors: z.array(z.string()),
    durationMs: z.number(),
    requestsPerSecond: nullableNumber,
    outputTokensPerSecond: nullableNumber,
    throughputNotMeasuredReason: z.string().nullable().optional(),
    ttftMs: latencySummarySchema,
    itlMs: latencySummarySchema,
    itlNotMeasured: z.object({ requests: count, reasons: z.array(z.string()) }).optional(),
    e2eMs: latencySummarySchema,
    peakRssBytes: nullableNumber,
  }),
  z.object({ concurrency: count, status: z.literal("unsupported"), reason: z.string() }),
  z.object({ concurrency: count, status: z.literal("error"), code: z.string(), message: z.string() }),
]);

const modelResultSchema = z.object({
  caseId: z.string(),
  label: z.string(),
  file: z.string(),
  fileFingerprint: z.string(),
  synthetic: z.boolean(),
  info: modelInfoSchema,
  settings: caseSettingsSchema,
  status: z.enum(["ok", "partial", "failed", "interrupted"]),
  process: z.object({
    pid: z.number().int().nullable(),
    outcome: z.enum(["ok", "error", "crash", "timeout", "killed", "interrupted"]),
    exitCode: z.number().int().nullable(),
    signal: z.string().nullable(),
    wallMs: measured,
  }),
  load: loadResultSchema.nullable(),
  inference: inferenceResultSchema.nullable(),
  contexts: z.array(contextResultSchema),
  cleanup: cleanupResultSchema.nullable(),
  concurrency: z.array(concurrencyResultSchema).default([]),
  errors: z.array(
    z.object({
      stage: stageSchema,
      code: z.string(),
      message: z.string(),
      llamaLog: z.array(z.string()).optional(),
      hint: z.string().optional(),
    }),
  ),
  quality: qualityResultSchema.nullable().optional(),
  otherCpu: z
    .array(
      z.object({
        stage: stageSchema,
        detail: z.string(),
        wallMs: measured,
        otherCpuFraction: z.number().min(0).max(1).nullable(),
        unmeasuredReason: z.string().nullable(),
      }),
    )
    .optional(),
});

export const runResultsSchema = z
  .object({
    schemaVersion: z.literal(SCHEMA_VERSION),
    tool: z.object({ name: z.literal("gguf-bench"), version: z.string() }),
    runId: z.string().min(1),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
    interrupted: z.boolean(),
    environment: environmentSchema,
    config: runConfigSchema,
    models: z.array(modelResultSchema),
    notRun: z
      .array(
        z.object({
          caseId: z.string(),
          label: z.string(),
          file: z.string(),
          synthetic: z.boolean(),
          settings: caseSettingsSchema,
          code: z.literal("interrupted"),
          message: z.string(),
        }),
      )
      .optional(),
  })
  .meta({
    title: "gguf-bench results",
    description: "One benchmark run of gguf-bench (results.json). Field names carry their units.",
  });

// Compile-time proof that the schema and the hand-written types describe the same data.
type Assert<T extends true> = T;
type MutuallyAssignable<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export type SchemaMatchesTypes = Assert<MutuallyAssignable<z.infer<typeof runResultsSchema>, RunResults>>;

/** docs/results.schema.json as written by scripts/write-results-schema.ts (JSON Schema draft 2020-12). */
export function resultsJsonSchemaText(): string {
  return `${JSON.stringify(z.toJSONSchema(runResultsSchema, { io: "input" }), null, 2)}\n`;
}
