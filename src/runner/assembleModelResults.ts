import type { ModelInfo } from "../gguf/modelInfo.ts";
import type {
  InferenceMetric,
  InferenceResult,
  InferenceSample,
  ModelResult,
  RunStopping,
  StageError,
} from "../results/types.ts";
import { INFERENCE_METRIC_ORDER } from "../results/types.ts";
import { summarize } from "../stats/summary.ts";
import { inferenceWarnings } from "../stats/warnings.ts";
import type { GroupJob } from "../worker/protocol.ts";
import type { CaseCollected } from "./groupCollector.ts";
import type { GroupRun } from "./runGroup.ts";

/** What the suite knows of the model before any process runs. */
export interface ModelIdentity {
  label: string;
  file: string;
  fileFingerprint: string;
  synthetic: boolean;
  info: ModelInfo;
}

/** Summaries over every timed sample of every prompt (warm-ups excluded), warnings as data, and why the runs stopped. */
export function buildInference(
  contextSize: number,
  samples: InferenceSample[],
  stopping: RunStopping | null,
): InferenceResult {
  const timed = samples.filter((s) => !s.warmup);
  const summaries = Object.fromEntries(
    // A value that was not measured (null: a remote endpoint's memory) is left out; n says how many were.
    INFERENCE_METRIC_ORDER.map((metric) => [
      metric,
      summarize(timed.flatMap((s) => (s[metric] === null ? [] : [s[metric]]))),
    ]),
  ) as Record<InferenceMetric, ReturnType<typeof summarize>>;
  return { contextSize, samples, summaries, warnings: inferenceWarnings(samples), stopping };
}

/**
 * The timed runs ended as the worker decided (`inference-done`; their number varies with --runs auto) and every
 * concurrency level and context size reported.
 */
function isComplete(job: GroupJob, entry: CaseCollected): boolean {
  return (
    entry.stopping !== null &&
    entry.concurrency.length >= job.concurrency.length &&
    entry.contexts.length >= job.contexts.length
  );
}

/**
 * The rows of a case cut short by its process (timeout, crash, Ctrl-C): every concurrency level and context size
 * it did not reach, as an error with the process's code ("timeout", "interrupted", …) and why, so that no asked-for
 * row is silently missing.
 */
function withUnreached(
  job: GroupJob,
  entry: CaseCollected,
  cut: StageError,
): Pick<ModelResult, "contexts" | "concurrency"> {
  const message = `not measured: ${cut.message}`;
  const levels = new Set(entry.concurrency.map((c) => c.concurrency));
  const sizes = new Set(entry.contexts.map((c) => c.contextSize));
  return {
    concurrency: [
      ...entry.concurrency,
      ...job.concurrency
        .filter((level) => !levels.has(level))
        .map((level) => ({ concurrency: level, status: "error" as const, code: cut.code, message })),
    ],
    contexts: [
      ...entry.contexts,
      ...job.contexts
        .filter((size) => !sizes.has(size))
        .map((size) => ({ contextSize: size, status: "error" as const, code: cut.code, message })),
    ],
  };
}

/**
 * One ModelResult per case of the group, from what the worker streamed. The load and cleanup belong to the
 * group and are shared by its cases. A process failure is charged to the cases it cut short (and to all when it
 * struck in cleanup, or before any case finished), so a crash in case 3 leaves cases 1–2 as measured.
 * A case cut short gets a row for every level and context size it did not reach (`withUnreached`).
 * Status: interrupted when a stop (Ctrl-C or another stop signal) is charged to the case (it cut the case short,
 * or struck in cleanup or before any case finished): what it finished is kept, and the stop was the user's, not a
 * failure; failed when nothing was measured (no load, or no timed sample and no measured context), or when the
 * process failed (timeout, crash, kill) before the case finished — what it measured before is kept, but the case
 * did not run as asked; partial when something was measured but an error was recorded (a context size that
 * failed included) or a stage is missing (cleanup only in-process: a server has none); ok otherwise (skipped
 * context sizes are not failures).
 */
export function assembleModelResults(
  identity: ModelIdentity,
  job: GroupJob,
  run: GroupRun,
  caseIds: string[],
): ModelResult[] {
  const { collected } = run;
  const blameAll = collected.lastStage === "cleanup" || collected.cases.every((c) => isComplete(job, c));
  return job.cases.map((settings, index) => {
    const entry = collected.cases[index] as CaseCollected;
    const errors: StageError[] = [...collected.groupErrors, ...entry.errors];
    const complete = isComplete(job, entry);
    if (run.processError && (blameAll || !complete)) errors.push(run.processError);
    const cut = run.processError && !complete ? run.processError : null;
    const rows = cut ? withUnreached(job, entry, cut) : { contexts: entry.contexts, concurrency: entry.concurrency };
    const inference =
      entry.samples.length > 0
        ? buildInference(entry.inferenceContextSize ?? job.inferenceContextSize, entry.samples, entry.stopping)
        : null;
    const timedSamples = entry.samples.filter((s) => !s.warmup).length;
    const measuredContexts = entry.contexts.filter((c) => c.status === "ok").length;
    let status: ModelResult["status"];
    // A remote endpoint has no load of ours to measure: its load is null by nature, not by failure.
    const loadMissing = collected.load === null && settings.engine !== "openai";
    if (errors.some((e) => e.code === "interrupted")) status = "interrupted";
    else if (loadMissing || (timedSamples === 0 && measuredContexts === 0) || cut) status = "failed";
    else if (
      errors.length > 0 ||
      !complete ||
      // A server has no cleanup stage: it ends when stopped.
      (collected.cleanup === null && settings.engine === "node-llama-cpp") ||
      rows.contexts.some((c) => c.status === "error")
    )
      status = "partial";
    else status = "ok";
    return {
      caseId: caseIds[index] ?? `${identity.label}#${index + 1}`,
      label: identity.label,
      file: identity.file,
      fileFingerprint: identity.fileFingerprint,
      synthetic: identity.synthetic,
      info: identity.info,
      settings,
      status,
      process: run.process,
      load: collected.load,
      inference,
      contexts: rows.contexts,
      cleanup: collected.cleanup,
      concurrency: rows.concurrency,
      errors,
      quality: qualityOf(job, run, entry, index),
      otherCpu: (run.collected.cpu?.records ?? [])
        .filter((r) => r.caseIndex === null || r.caseIndex === index)
        .map(({ caseIndex: _, ...share }) => share),
    };
  });
}

/** Case 0 carries the group's quality figures; when the stage was asked for but never reported, why. */
function qualityOf(job: GroupJob, run: GroupRun, entry: CaseCollected, index: number): ModelResult["quality"] {
  if (entry.quality) return entry.quality;
  if (!job.quality || index !== 0) return null;
  const cause = run.processError ?? run.collected.groupErrors[0];
  return cause
    ? { status: "error", code: cause.code, message: cause.message }
    : { status: "error", code: "not-measured", message: "the model did not reach the quality stage" };
}
