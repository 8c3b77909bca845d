import path from "node:path";
import type { LlamaModel, Token } from "node-llama-cpp";
import { GgufBenchError } from "../errors.ts";
import type { LoadResult } from "../results/types.ts";
import { createCaseContext } from "./createCaseContext.ts";
import { toStageError } from "./stageError.ts";
import { collectGarbage, type WorkerSession } from "./workerSession.ts";

/** The line llama.cpp logs last when a load fails (llama_model_load_from_file_impl); its reasons come before. */
const LOAD_FAILED_LINE = /failed to load model$/;

/** Smallest context node-llama-cpp pads to: enough for the one-token first decode. */
const firstDecodeContextSize = 256;

/**
 * Load stage: baseline after GC, the timed load (`useMmap`, `gpuLayers` as the job says), memory after and
 * the peak during it; then the first decode timed apart on a fresh small context. With mmap, reading the
 * weights can move from the load to their first use; llama.cpp on Linux prefetches the mapping while loading
 * (RssFile grew by the file size during load here), so the first decode shows whatever is left.
 * Sends `load` and returns the model, or sends a `stage-error` and returns null.
 */
export async function loadStage(session: WorkerSession): Promise<{ model: LlamaModel; load: LoadResult } | null> {
  const { llama, channel, job, log } = session;
  await channel.post({ type: "stage", stage: "load", caseIndex: null, detail: path.basename(job.file) });
  if (job.gpuLayers > 0 && !llama.supportsGpuOffloading) {
    const message = `${job.gpuLayers} GPU layers asked for, but the ${llama.gpu || "cpu"} backend cannot offload`;
    await channel.post({
      type: "stage-error",
      caseIndex: null,
      error: { stage: "load", code: "setting-unsupported", message },
    });
    return null;
  }

  collectGarbage();
  const before = await channel.measure(true);
  log.clear();
  let model: LlamaModel;
  const loadStart = performance.now();
  try {
    model = await llama.loadModel({ modelPath: job.file, useMmap: job.mmap, gpuLayers: job.gpuLayers });
  } catch (error) {
    await log.settle({ until: LOAD_FAILED_LINE });
    await channel.post({
      type: "stage-error",
      caseIndex: null,
      error: toStageError("load", "load-failed", error, { log, file: job.file }),
    });
    return null;
  }
  const durationMs = performance.now() - loadStart;
  const after = await channel.measure(false);

  let firstDecodeMs: number;
  try {
    firstDecodeMs = await timeFirstDecode(session, model);
  } catch (error) {
    await log.settle();
    const stageError = toStageError("load", "first-decode-failed", error, { log, file: job.file });
    await channel.post({ type: "stage-error", caseIndex: null, error: stageError });
    await model.dispose();
    return null;
  }

  const load: LoadResult = {
    durationMs,
    mmap: job.mmap,
    cache: job.cache,
    before: before.snapshot,
    after: after.snapshot,
    peakRssBytes: after.peakRssBytes,
    firstDecodeMs,
    deviceVramUsedBytes: llama.gpu === false ? null : (await llama.getVramState()).used,
  };
  await channel.post({ type: "load", load });
  return { model, load };
}

/** One token in, one greedy token out (so the output layer is touched too); context creation not timed. */
async function timeFirstDecode(session: WorkerSession, model: LlamaModel): Promise<number> {
  const firstCase = session.job.cases[0];
  if (!firstCase) throw new GgufBenchError("no-cases", "the job has no cases to take the thread count from");
  // Plain settings whatever the cases sweep: this decode measures paging the weights in, not attention.
  const settings = {
    ...firstCase,
    ubatchSize: firstCase.batchSize,
    flashAttention: false,
    kvCacheType: "f16" as const,
  };
  const context = await createCaseContext(model, settings, firstDecodeContextSize, session.log);
  try {
    const token: Token | undefined = model.tokens.bos ?? model.tokenize("The")[0];
    if (token === undefined) throw new GgufBenchError("no-token", "the model has no BOS token and tokenised nothing");
    const sequence = context.getSequence();
    const start = performance.now();
    for await (const _ of sequence.evaluate([token], { temperature: 0, seed: session.job.seed })) break;
    return performance.now() - start;
  } finally {
    await context.dispose();
  }
}
