import type { LlamaContext, LlamaModel } from "node-llama-cpp";
import type { CaseSettings } from "../results/types.ts";
import { closedLoop, concurrencyLevel, type LevelRequest } from "../stats/concurrencyLevel.ts";
import { createCaseContext } from "./createCaseContext.ts";
import type { PeakTracker } from "./peakTracker.ts";
import { promptTokens } from "./promptTokens.ts";
import { toStageError } from "./stageError.ts";
import { timedGeneration } from "./timedGeneration.ts";
import type { WorkerSession } from "./workerSession.ts";

/**
 * Concurrency stage in-process: one context with a sequence per stream of the highest level (each sequence holds
 * the inference context size), node-llama-cpp evaluating the sequences that wait together in one batch. Each level
 * is a closed loop of `level` streams sending `requestsPerLevel` requests (the standard prompts in turn), each on
 * an emptied sequence, measured exactly as a single request (timedGeneration). Memory: the peak over the level.
 * A context that cannot be created makes every level an error with llama.cpp's reason.
 */
export async function concurrencyStage(
  session: WorkerSession,
  model: LlamaModel,
  caseIndex: number,
  settings: CaseSettings,
  peaks: PeakTracker,
): Promise<void> {
  const { channel, job, log } = session;
  const highest = Math.max(...job.concurrency);
  await channel.post({ type: "stage", stage: "inference", caseIndex, detail: `concurrency: ${highest} sequences` });
  let context: LlamaContext;
  try {
    context = await createCaseContext(model, settings, job.inferenceContextSize, log, highest);
  } catch (error) {
    const { code, message } = toStageError("inference", "context-alloc-failed", error, { log });
    for (const level of job.concurrency)
      await channel.post({
        type: "concurrency",
        caseIndex,
        level: { concurrency: level, status: "error", code, message },
      });
    return;
  }
  try {
    const sequences = Array.from({ length: highest }, () => context.getSequence());
    for (const level of job.concurrency) {
      await channel.post({ type: "stage", stage: "inference", caseIndex, detail: `concurrency ${level}` });
      await channel.measure(true);
      const { requests, durationMs } = await closedLoop(level, job.requestsPerLevel, async (index, stream) => {
        const sequence = sequences[stream];
        const prompt = job.prompts[index % job.prompts.length];
        if (!sequence || !prompt) return { ok: false, message: "no sequence or prompt for this stream" };
        try {
          await sequence.clearHistory();
          const metrics = await timedGeneration(sequence, () => promptTokens(model, prompt.text), job);
          return { ok: true, metrics } satisfies LevelRequest;
        } catch (error) {
          return { ok: false, message: toStageError("inference", "inference-failed", error, { log }).message };
        }
      });
      const { peakRssBytes } = await channel.measure(false);
      peaks.observe(peakRssBytes);
      await channel.post({
        type: "concurrency",
        caseIndex,
        level: concurrencyLevel(level, requests, durationMs, peakRssBytes),
      });
    }
  } finally {
    await context.dispose();
  }
}
