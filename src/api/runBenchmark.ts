import type { ModelResult, RunResults } from "../results/types.ts";
import { resolveDbLocation } from "../store/dbLocation.ts";
import { expandModelArgs } from "../suite/expandModelArgs.ts";
import { modelsToRun } from "../suite/modelsToRun.ts";
import { parseRunOptions } from "../suite/parseRunOptions.ts";
import type { RunTasks } from "../suite/progress.ts";
import { type ResultSink, resultSink } from "../suite/resultSink.ts";
import { runSuite } from "../suite/runSuite.ts";
import { type BenchmarkPlan, rawRunOptions } from "./benchmarkPlan.ts";

export type { BenchmarkPlan } from "./benchmarkPlan.ts";

/**
 * What runBenchmark reports while it works, in order. A load group is one model × load settings (mmap, GPU
 * layers, page cache), run in one child process; its cases are the settings swept inside it.
 */
export type BenchmarkProgress =
  /** A load group starts (1-based `group` of `groups`); `title` names the model and the varied load settings. */
  | { type: "group"; group: number; groups: number; title: string }
  /** The child reached a stage: `detail` is e.g. "inference · case 1/2 · prompt short, run 2/3". */
  | { type: "stage"; group: number; groups: number; title: string; detail: string }
  /** A model × settings case finished (ok, partial or failed) and was added to the results. */
  | { type: "result"; result: ModelResult }
  /**
   * Something that did not stop the run: results the history database could not store, or an entry a folder in
   * `models` held that is not a regular file (never opened) or a sub-folder that could not be read.
   */
  | { type: "problem"; message: string };

export interface BenchmarkOptions {
  /** Called synchronously with each event. It must not throw: a throw stops the run, which then rejects with it. */
  onProgress?: (event: BenchmarkProgress) => void;
  /**
   * Aborting stops the run: the running child is killed (SIGKILL), nothing further starts, and runBenchmark
   * resolves with every finished result and `interrupted: true`.
   */
  signal?: AbortSignal;
}

/**
 * Runs a benchmark plan exactly as `gguf-bench run` does — each model × load settings in its own child process,
 * memory read from /proc/<pid>/status, a crash, timeout or OOM kill recorded as a failed result — and returns the
 * run: the same RunResults object results.json holds (schema: `gguf-bench/results.schema.json`, version
 * SCHEMA_VERSION). Units are in the field names (…Ms milliseconds, …Bytes bytes, …TokensPerSecond tokens/s).
 *
 * `plan.models` takes folders as `run` does: a folder stands for the .gguf files under it (recursively, sorted, a
 * split model once, by its first part: expandModelFolder, as for `run` and `inspect`); what the search passed
 * over (an entry that is not a regular file, a sub-folder that cannot be read) is a "problem" event each, before
 * anything runs.
 *
 * Unlike the CLI it writes nothing unless asked: results.json only with `plan.outDir`, the history only with
 * `plan.db`; reports are rendered separately with renderReport.
 *
 * @throws UsageError (code "usage") for a bad plan value; its message names the matching `run` flag,
 *   e.g. "--runs must be auto or an integer from 1 to 1000, got '0'".
 * @throws GgufBenchError for a run that cannot start (e.g. code "out-dir": outDir cannot be created; code
 *   "no-models": a folder in `plan.models` holds no .gguf file).
 * A model that cannot be read, crashes or times out is not an error: it is a result with status "failed" and its
 * `errors` (stage, code, message).
 */
export async function runBenchmark(plan: BenchmarkPlan, options: BenchmarkOptions = {}): Promise<RunResults> {
  const request = parseRunOptions([...plan.models], rawRunOptions(plan));
  const db = plan.db === undefined ? null : resolveDbLocation(plan.db);

  // The caller's signal, or a throwing callback, stops the run the same way Ctrl-C stops the CLI.
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  let callbackError: { error: unknown } | null = null;
  const emit = (event: BenchmarkProgress) => {
    if (!options.onProgress || callbackError) return;
    try {
      options.onProgress(event);
    } catch (error) {
      callbackError = { error };
      stop.abort();
    }
  };
  // A folder stands for the .gguf files under it, as for `run` and `inspect`.
  const files = await expandModelArgs([...plan.models], (message) => emit({ type: "problem", message }));
  const toRun = modelsToRun(files, request.whatIf, request.demo);
  if (options.signal?.aborted) stop.abort();
  else options.signal?.addEventListener("abort", onAbort, { once: true });

  const written = resultSink(plan.outDir === undefined ? null : request.outDir, db);
  const sink: ResultSink = {
    ...written,
    async model(results, result) {
      await written.model(results, result);
      emit({ type: "result", result });
    },
  };
  const progress: RunTasks = async (tasks) => {
    for (const [index, task] of tasks.entries()) {
      const where = { group: index + 1, groups: tasks.length, title: task.title };
      emit({ type: "group", ...where });
      await task.run((detail) => emit({ type: "stage", ...where, detail }));
    }
  };

  let results: RunResults;
  try {
    results = await runSuite({
      models: await toRun.prepare(stop.signal),
      config: request.config,
      outDir: plan.outDir === undefined ? undefined : request.outDir,
      sink,
      bandwidth: request.bandwidth,
      signal: stop.signal,
      progress,
    });
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
    await toRun.cleanup();
  }
  for (const message of written.problems) emit({ type: "problem", message });
  if (callbackError) throw (callbackError as { error: unknown }).error;
  return results;
}
