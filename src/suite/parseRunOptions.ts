import path from "node:path";
import { ENGINE_NAMES } from "../engines/engineNames.ts";
import { availableCores } from "../environment/availableCores.ts";
import { UsageError } from "../errors.ts";
import { STANDARD_PROMPTS } from "../prompts/standardPrompts.ts";
import type { QualityRequest } from "../quality/prepareQuality.ts";
import { ALL_REPORT_FORMATS, type ReportFormat } from "../report/writeReports.ts";
import type { CacheState, EngineName, KvCacheType } from "../results/types.ts";
import { DEMO_DEFAULTS, RUN_DEFAULTS } from "./defaults.ts";
import { choice, integer, list } from "./optionParsers.ts";
import { parseRuns, type RawRunsOptions } from "./parseRuns.ts";
import { parseServingOptions, type RawServingOptions } from "./parseServingOptions.ts";
import type { RunConfigWithNotes } from "./runConfig.ts";
import { ubatchForEngines } from "./ubatchForEngines.ts";

/** `run`'s options as commander hands them over: strings, to be checked here so each error names its flag. */
export interface RawRunOptions extends RawRunsOptions, RawServingOptions {
  warmup?: string;
  maxTokens?: string;
  contexts?: string;
  inferenceContext?: string;
  threads?: string;
  batchSize?: string;
  ubatchSize?: string;
  flashAttention?: string;
  kvCacheType?: string;
  /** A list from `--mmap on,off`, or false from `--no-mmap`. */
  mmap?: string | boolean;
  gpuLayers?: string;
  cache?: string;
  timeout?: string;
  seed?: string;
  allowBeyondTrainingContext?: boolean;
  out?: string;
  format?: string;
  json?: boolean;
  dryRun?: boolean;
  /** A path from `--db PATH`, or false from `--no-db`. */
  db?: string | boolean;
  whatIf?: string[];
  bandwidth?: boolean;
  quality?: boolean;
  qualityText?: string;
  qualityContext?: string;
  reference?: string;
  maxKld?: string;
  engine?: string;
}

export interface RunRequest {
  config: RunConfigWithNotes;
  models: string[];
  /** No model given: the synthesised demo set runs. */
  demo: boolean;
  outDir: string;
  /** No --out: the timestamped default, made fresh when the run starts (see claimOutDir). */
  outDirIsDefault: boolean;
  formats: ReportFormat[];
  json: boolean;
  dryRun: boolean;
  /** undefined: the default database; null: --no-db. */
  dbPath: string | null | undefined;
  whatIf: string[];
  bandwidth: boolean;
  /** run --quality (or any of its options): what to score; null: no quality stage. */
  quality: QualityRequest | null;
  /** Lines to print as `gguf-bench: …` before the run (each is in config.notes too, so the results keep it). */
  warnings: string[];
}

const onOff = (flag: string) => (item: string) => choice(flag, item, ["on", "off"] as const) === "on";

/** A folder name that sorts by time and is valid on every filesystem. */
export function timestampFolder(now: Date): string {
  return now
    .toISOString()
    .replace(/\.\d+Z$/, "Z")
    .replace(/:/g, "-");
}

/** Checks every option and builds the run's config. With no model, the demo defaults apply where no flag was given. */
export function parseRunOptions(models: string[], raw: RawRunOptions, now = new Date()): RunRequest {
  const demo = models.length === 0 && (raw.whatIf ?? []).length === 0;
  const base = demo ? { ...RUN_DEFAULTS, ...DEMO_DEFAULTS } : RUN_DEFAULTS;
  const notes: string[] = [];
  const { runs, autoRuns } = parseRuns(raw, base);
  const warmupRuns = raw.warmup === undefined ? base.warmup : integer("--warmup", raw.warmup, 0, 100);
  const maxTokens = raw.maxTokens === undefined ? base.maxTokens : integer("--max-tokens", raw.maxTokens, 1, 1 << 20);
  const contexts =
    raw.contexts === undefined
      ? [...base.contexts]
      : list("--contexts", raw.contexts, (s) => integer("--contexts", s, 16, 1 << 24)).sort((a, b) => a - b);
  const inferenceContextSize =
    raw.inferenceContext === undefined
      ? base.inferenceContextSize
      : integer("--inference-context", raw.inferenceContext, 16, 1 << 24);
  if (maxTokens >= inferenceContextSize)
    throw new UsageError(`--max-tokens ${maxTokens} must be below --inference-context ${inferenceContextSize}`);
  // A context holds the prompt and the generated tokens; one no larger than --max-tokens could only fail.
  const tooSmall = contexts.filter((size) => size <= maxTokens);
  if (tooSmall.length > 0)
    throw new UsageError(
      `--contexts ${tooSmall.join(",")} must be above --max-tokens ${maxTokens} (a context holds the prompt and the generated tokens)`,
    );

  const { cores, source: coresSource } = availableCores();
  const defaultThreads = demo ? DEMO_DEFAULTS.threads : cores;
  const threads =
    raw.threads === undefined
      ? [defaultThreads]
      : list("--threads", raw.threads, (s) => integer("--threads", s, 1, 1024));
  let threadsSource = `--threads ${threads.join(",")}`;
  if (raw.threads === undefined)
    threadsSource = demo
      ? `demo default ${DEMO_DEFAULTS.threads} (tiny models run fastest on one thread)`
      : coresSource;
  if (threads.some((t) => t > cores))
    notes.push(
      `--threads above the ${cores} cores available oversubscribes the CPU; such figures are not representative`,
    );
  const batchSize =
    raw.batchSize === undefined
      ? [...base.batchSize]
      : list("--batch-size", raw.batchSize, (s) => integer("--batch-size", s, 1, 1 << 20));
  const ubatchFollowsBatch = raw.ubatchSize === undefined;
  const ubatchSize: number[] =
    raw.ubatchSize === undefined
      ? [...batchSize]
      : list("--ubatch-size", raw.ubatchSize, (s) => integer("--ubatch-size", s, 1, 1 << 20));
  const flashAttention =
    raw.flashAttention === undefined
      ? [...base.flashAttention]
      : list("--flash-attention", raw.flashAttention, onOff("--flash-attention"));
  const kvCacheType =
    raw.kvCacheType === undefined
      ? [...base.kvCacheType]
      : list("--kv-cache-type", raw.kvCacheType, (s) => choice<KvCacheType>("--kv-cache-type", s, ["f16", "q8_0"]));
  const mmap =
    raw.mmap === undefined
      ? [...base.mmap]
      : typeof raw.mmap === "boolean"
        ? [raw.mmap]
        : list("--mmap", raw.mmap, onOff("--mmap"));
  const gpuLayers =
    raw.gpuLayers === undefined
      ? [...base.gpuLayers]
      : list("--gpu-layers", raw.gpuLayers, (s) => integer("--gpu-layers", s, 0, 100_000));
  let cache: CacheState[] = ["unknown"];
  if (raw.cache !== undefined) {
    const wanted = choice("--cache", raw.cache.trim(), ["cold", "warm", "both"] as const);
    cache = wanted === "both" ? ["cold", "warm"] : [wanted];
  }
  const timeoutSeconds =
    raw.timeout === undefined ? base.timeoutSeconds : integer("--timeout", raw.timeout, 1, 7 * 24 * 3600);
  const seed = raw.seed === undefined ? base.seed : integer("--seed", raw.seed, 0, 2 ** 32 - 1);
  const formats =
    raw.format === undefined
      ? [...ALL_REPORT_FORMATS]
      : list("--format", raw.format, (s) => choice<ReportFormat>("--format", s, ALL_REPORT_FORMATS));
  if (raw.out !== undefined && raw.out.trim() === "")
    throw new UsageError("--out needs a folder; omit it for a fresh ./gguf-bench-results/<timestamp>/");
  const outDir = path.resolve(raw.out ?? path.join(base.outRoot, timestampFolder(now)));
  const engine: EngineName[] =
    raw.engine === undefined
      ? [...base.engine]
      : list("--engine", raw.engine, (s) => choice<EngineName>("--engine", s, ENGINE_NAMES));
  const serving = parseServingOptions(raw, engine, notes);
  const ubatchNote = ubatchFollowsBatch ? null : ubatchForEngines(engine, batchSize, ubatchSize);
  if (ubatchNote) notes.push(ubatchNote);
  if (demo)
    notes.push(
      `demo set: synthesised models (random weights, real shapes) with runs ${autoRuns ? "auto" : runs}, max tokens ${maxTokens}, contexts ${contexts.join(",")}`,
    );

  return {
    quality: parseQuality(raw),
    config: {
      runs,
      autoRuns,
      warmupRuns,
      maxTokens,
      contexts,
      inferenceContextSize,
      seed,
      timeoutMs: timeoutSeconds * 1000,
      allowBeyondTrainingContext: raw.allowBeyondTrainingContext === true,
      prompts: STANDARD_PROMPTS.map((p) => ({ ...p })),
      sweep: { threads, batchSize, ubatchSize, flashAttention, kvCacheType, mmap, gpuLayers, cache, engine },
      threadsSource,
      notes,
      ubatchFollowsBatch,
      serving,
    },
    models,
    demo,
    outDir,
    outDirIsDefault: raw.out === undefined,
    formats,
    json: raw.json === true,
    dryRun: raw.dryRun === true,
    dbPath: raw.db === false ? null : typeof raw.db === "string" ? raw.db : undefined,
    whatIf: raw.whatIf ?? [],
    bandwidth: raw.bandwidth !== false,
    warnings: ubatchNote ? [ubatchNote] : [],
  };
}

/** --quality and its options; any of --quality-text, --quality-context, --reference, --max-kld implies --quality. */
function parseQuality(raw: RawRunOptions): QualityRequest | null {
  const asked =
    raw.quality === true ||
    [raw.qualityText, raw.qualityContext, raw.reference, raw.maxKld].some((value) => value !== undefined);
  if (!asked) return null;
  const contextSize =
    raw.qualityContext === undefined
      ? RUN_DEFAULTS.qualityContext
      : integer("--quality-context", raw.qualityContext, 8, 1 << 20);
  let maxKldNats: number = RUN_DEFAULTS.maxKldNats;
  if (raw.maxKld !== undefined) {
    maxKldNats = Number(raw.maxKld.trim());
    if (raw.maxKld.trim() === "" || !Number.isFinite(maxKldNats) || maxKldNats <= 0)
      throw new UsageError(`--max-kld must be a positive number of nats, got '${raw.maxKld}'`);
  }
  return {
    textFile: raw.qualityText === undefined ? null : path.resolve(raw.qualityText),
    contextSize,
    reference: raw.reference === undefined ? null : path.resolve(raw.reference),
    maxKldNats,
  };
}
