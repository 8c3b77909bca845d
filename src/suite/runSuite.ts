import { randomUUID } from "node:crypto";
import { writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { modelDisplayName } from "../analysis/modelDisplayName.ts";
import { measureBandwidth } from "../bandwidth/measureBandwidth.ts";
import { preparePageCache } from "../cache/pageCache.ts";
import { hasRandomWeights } from "../engines/highByteTokens.ts";
import { type ResolvedEngines, resolveEngines } from "../engines/resolveEngines.ts";
import { runEngineGroup } from "../engines/runEngineGroup.ts";
import { collectEnvironment, nodeLlamaCppEnvironment, UNKNOWN } from "../environment/collectEnvironment.ts";
import { GgufBenchError } from "../errors.ts";
import { fsErrorText } from "../files/fsErrorText.ts";
import { makeFolder } from "../files/makeFolder.ts";
import type { QualitySetup } from "../quality/prepareQuality.ts";
import { qualityForModel } from "../quality/qualityForModel.ts";
import { runReferencePass } from "../quality/runReferencePass.ts";
import type { ModelResult, NotRunCase, RunResults } from "../results/types.ts";
import { SCHEMA_VERSION } from "../results/types.ts";
import { assembleModelResults, type ModelIdentity } from "../runner/assembleModelResults.ts";
import type { WorkerEntry } from "../runner/workerEntry.ts";
import { busyAtStartNote } from "../stats/busyStages.ts";
import { TOOL_VERSION } from "../version.ts";
import type { ChildMessage, GroupJob } from "../worker/protocol.ts";
import { groupOutcome } from "./describeFailure.ts";
import { planSuiteCases } from "./planSuiteCases.ts";
import { type ProgressTask, type RunTasks, runTasksQuietly, type TaskOutcome } from "./progress.ts";
import { readSuiteModel, type SuiteModel } from "./readSuiteModels.ts";
import type { ResultSink } from "./resultSink.ts";
import type { RunConfigWithNotes } from "./runConfig.ts";

/** A task reached after a stop signal: it never starts, and the progress says so rather than ✔. */
const NOT_STARTED = {
  status: "skipped",
  summary: "not run: the run was stopped (Ctrl-C or a stop signal) before it started",
} as const satisfies TaskOutcome;

export interface SuiteOptions {
  models: SuiteModel[];
  config: RunConfigWithNotes;
  /** Created when missing; none: the run writes no files of its own (the library's default). */
  outDir?: string;
  /** Where each finished result goes at once (results.json, the history database). */
  sink: ResultSink;
  bandwidth: boolean;
  /** Aborted on Ctrl-C: the current child is killed, everything finished is kept. */
  signal?: AbortSignal;
  worker?: WorkerEntry;
  progress?: RunTasks;
  /** run --quality: the text and reference, checked by prepareQuality; null or absent: no quality stage. */
  quality?: QualitySetup | null;
  /** The engines, resolved before the output folder was made (the CLI); absent: resolved here. */
  engines?: ResolvedEngines;
}

/**
 * The whole `run`: environment once, metadata of every model (bad files fail here, before any process), the plan,
 * then one child per load group, each finished result written at once. Returns the run; never throws for a model
 * that fails — that is a result.
 */
export async function runSuite(options: SuiteOptions): Promise<RunResults> {
  const { config, sink, signal } = options;
  const { outDir } = options;
  if (outDir !== undefined)
    await makeFolder(outDir).catch((error: unknown) => {
      throw new GgufBenchError(
        "out-dir",
        `cannot create the output folder ${outDir}: ${fsErrorText(error)}; choose another with --out`,
      );
    });
  const quality = options.quality ?? null;
  // The quality stage keeps the scored text and the reference's distributions in the output folder.
  const qualityDir = quality ? outDir : undefined;
  if (quality && qualityDir === undefined)
    throw new GgufBenchError(
      "out-dir",
      "the quality stage needs an output folder for its text and reference distributions",
    );
  if (quality && qualityDir !== undefined) {
    config.quality = quality.config;
    await writeFile(path.join(qualityDir, quality.config.textFile), quality.text);
  }
  // A missing engine binary fails here, before anything runs.
  const serving = options.engines ?? resolveEngines(config);
  const environment = await collectEnvironment(options.models[0]?.file ?? null);
  environment.engines = serving.engines;
  if (options.bandwidth) environment.memoryBandwidthBytesPerSecond = await measureBandwidth();
  const results: RunResults = {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: "gguf-bench", version: TOOL_VERSION },
    runId: randomUUID(),
    startedAt: new Date().toISOString(),
    finishedAt: null,
    interrupted: false,
    environment,
    config,
    models: [],
  };
  noteBusyMachine(config);
  await sink.begin(results);
  const record = async (model: ModelResult) => {
    results.models.push(model);
    await sink.model(results, model);
  };

  const readable: ModelIdentity[] = [];
  for (const model of options.models) {
    const read = await readSuiteModel(model, config, `${path.basename(model.file)}#1`);
    if (read.ok) readable.push(read.identity);
    else await record(read.failure);
  }

  const notRun: NotRunCase[] = [];
  const groups = planSuiteCases(readable.length, config.sweep, config.ubatchFollowsBatch);
  const caseCounts = new Map<number, number>();
  const tasks: ProgressTask[] = groups.map((group) => {
    const identity = readable[group.modelIndex] as ModelIdentity;
    const varied = describeLoad(group.load, config);
    return {
      title: `${modelDisplayName(identity.label, identity.synthetic)}${varied}`,
      run: async (update) => {
        const base = caseCounts.get(group.modelIndex) ?? 0;
        caseCounts.set(group.modelIndex, base + group.cases.length);
        const ids = group.cases.map((_, i) => `${path.basename(identity.file)}#${base + i + 1}`);
        if (signal?.aborted) {
          for (const [i, settings] of group.cases.entries())
            notRun.push({
              caseId: ids[i] as string,
              label: identity.label,
              file: identity.file,
              synthetic: identity.synthetic,
              settings: { ...settings, cache: group.load.cache },
              code: "interrupted",
              message: NOT_STARTED.summary,
            });
          return NOT_STARTED;
        }
        const prepared = await preparePageCache(identity.info.files, group.load.cache);
        if (group.load.cache !== "unknown")
          config.notes.push(`${identity.label}: page cache ${prepared.state} (${prepared.method})`);
        const job = groupJob(identity, group.cases, prepared.state, config);
        const qualityPlan = await qualityForModel(identity, quality, qualityDir ?? "");
        // The quality stage reads logits in-process: a server engine's case runs without it.
        job.quality = group.load.engine === "node-llama-cpp" ? qualityPlan.job : null;
        const onMessage = (m: ChildMessage) => {
          // After Ctrl-C no new stage shows: what was cut short is recorded as interrupted.
          if (m.type === "stage" && !signal?.aborted)
            update(
              `${m.stage}${m.caseIndex === null ? "" : ` · case ${m.caseIndex + 1}/${group.cases.length}`} · ${m.detail}`,
            );
        };
        const timeoutMs = config.timeoutMs * (group.cases.length + (job.quality ? 1 : 0));
        const run = await runEngineGroup(group.load.engine, {
          job,
          synthetic: hasRandomWeights(identity.synthetic, identity.info.name),
          config,
          llamaServer: serving.llamaServer,
          timeoutMs,
          signal,
          worker: options.worker,
          onMessage,
        });
        const versions = run.collected.versions;
        if (versions && environment.nodeLlamaCpp === UNKNOWN) {
          Object.assign(environment, nodeLlamaCppEnvironment(versions));
          await sink.header(results);
        }
        const assembled = assembleModelResults(identity, job, run, ids);
        if (qualityPlan.result && assembled[0]) assembled[0].quality = qualityPlan.result;
        // Asked for quality but no in-process case of this file will measure it: say why instead of nothing.
        if (quality && assembled[0] && !assembled[0].quality && !config.sweep.engine.includes("node-llama-cpp"))
          assembled[0].quality = {
            status: "skipped",
            reason: `perplexity and KLD are measured in-process from the logits, not through ${group.load.engine}: add node-llama-cpp to --engine`,
          };
        for (const result of assembled) await record(result);
        if (run.process.outcome === "interrupted") results.interrupted = true;
        return groupOutcome(assembled);
      },
    };
  });
  const reference = quality?.config.reference;
  if (quality && reference && quality.referenceVocabulary)
    tasks.unshift({
      title: `reference distributions: ${reference.label}`,
      run: async (update) => {
        if (signal?.aborted) return NOT_STARTED;
        const outcome = await runReferencePass({
          setup: quality,
          vocabularyFingerprint: quality.referenceVocabulary?.fingerprint ?? "",
          config,
          outDir: qualityDir ?? "",
          signal,
          worker: options.worker,
          onProgress: update,
        });
        reference.outcome = outcome;
        await sink.header(results);
        return outcome.status === "ok" ? { status: "ok" } : { status: "failed", summary: outcome.message };
      },
    });
  await (options.progress ?? runTasksQuietly)(tasks);

  if (signal?.aborted) results.interrupted = true;
  // In the header, so results.json and the history both say which cases never started.
  if (notRun.length > 0) {
    results.notRun = notRun;
    await sink.header(results);
  }
  results.finishedAt = new Date().toISOString();
  await sink.finish(results);
  return results;
}

/**
 * Other processes competing for the cores distort every figure (threads that wait spin): record the start-of-run
 * load average as numbers (config.loadAtStart) and say so in a note when it is busy. Windows has no load average
 * (os.loadavg() is always zeros there): nothing is recorded rather than a 0 that was never measured.
 */
function noteBusyMachine(config: RunConfigWithNotes): void {
  const [loadAverage1m] = os.loadavg();
  if (process.platform === "win32" || loadAverage1m === undefined) return;
  config.loadAtStart = { loadAverage1m, cores: os.availableParallelism() };
  const note = busyAtStartNote(config.loadAtStart);
  if (note) config.notes.push(note);
}

function groupJob(
  identity: ModelIdentity,
  cases: GroupJob["cases"],
  cache: GroupJob["cache"],
  config: RunConfigWithNotes,
): GroupJob {
  const training = identity.info.contextLength;
  let inferenceContextSize = config.inferenceContextSize;
  if (training !== null && inferenceContextSize > training && !config.allowBeyondTrainingContext) {
    inferenceContextSize = training;
    const note = `${identity.label}: inference context ${config.inferenceContextSize} clamped to its training context ${training}`;
    if (!config.notes.includes(note)) config.notes.push(note);
  }
  const first = cases[0];
  return {
    file: identity.file,
    mmap: first?.mmap ?? true,
    gpuLayers: first?.gpuLayers ?? 0,
    cache,
    cases: cases.map((c) => ({ ...c, cache })),
    runs: config.runs,
    autoRuns: config.autoRuns,
    warmupRuns: config.warmupRuns,
    maxTokens: config.maxTokens,
    inferenceContextSize,
    contexts: config.contexts,
    seed: config.seed,
    prompts: config.prompts,
    trainingContextLength: training,
    allowBeyondTrainingContext: config.allowBeyondTrainingContext,
    quality: null,
    concurrency: config.serving.concurrency,
    requestsPerLevel: config.serving.requestsPerLevel,
  };
}

/** The load settings that vary in this run, for the progress title. */
function describeLoad(
  load: { cache: string; mmap: boolean; gpuLayers: number; engine: string },
  config: RunConfigWithNotes,
): string {
  const parts: string[] = [];
  if (config.sweep.engine.length > 1 || load.engine !== "node-llama-cpp") parts.push(load.engine);
  if (config.sweep.mmap.length > 1) parts.push(`mmap ${load.mmap ? "on" : "off"}`);
  if (config.sweep.cache.length > 1) parts.push(`${load.cache} cache`);
  if (config.sweep.gpuLayers.length > 1) parts.push(`gpu layers ${load.gpuLayers}`);
  return parts.length > 0 ? ` (${parts.join(", ")})` : "";
}
