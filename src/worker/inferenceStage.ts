import type { LlamaContext, LlamaModel } from "node-llama-cpp";
import type { CaseSettings, InferenceSample } from "../results/types.ts";
import { createCaseContext } from "./createCaseContext.ts";
import type { PeakTracker } from "./peakTracker.ts";
import { promptTokens } from "./promptTokens.ts";
import { toStageError } from "./stageError.ts";
import { timedGeneration, tokensPerSecond } from "./timedGeneration.ts";
import type { WorkerSession } from "./workerSession.ts";

/**
 * Inference stage of one case: one context of `job.inferenceContextSize` with the case's settings; per
 * prompt `warmupRuns` untimed-for-statistics warm-ups (sent flagged, run −1) then `runs` timed runs. Every run
 * starts from an empty KV cache (history cleared, checked in `timedGeneration`), so no run reuses a cached
 * prompt. Memory: the peak is reset before each run and read after it. Samples are streamed one by one.
 */
export async function inferenceStage(
  session: WorkerSession,
  model: LlamaModel,
  caseIndex: number,
  settings: CaseSettings,
  peaks: PeakTracker,
): Promise<void> {
  const { channel, job, log } = session;
  const detail = `${settings.threads} threads, batch ${settings.batchSize}`;
  await channel.post({ type: "stage", stage: "inference", caseIndex, detail });
  let context: LlamaContext;
  try {
    context = await createCaseContext(model, settings, job.inferenceContextSize, log);
  } catch (error) {
    const stageError = toStageError("inference", "context-alloc-failed", error, { log });
    await channel.post({ type: "stage-error", caseIndex, error: stageError });
    return;
  }
  try {
    const sequence = context.getSequence();
    for (const prompt of job.prompts) {
      for (let i = 0; i < job.warmupRuns + job.runs; i++) {
        const warmup = i < job.warmupRuns;
        await sequence.clearHistory();
        await channel.measure(true);
        log.clear();
        const timing = await timedGeneration(sequence, () => promptTokens(model, prompt.text), job);
        const { peakRssBytes } = await channel.measure(false);
        peaks.observe(peakRssBytes);
        const sample: InferenceSample = {
          promptId: prompt.id,
          run: warmup ? -1 : i - job.warmupRuns,
          warmup,
          promptTokens: timing.promptTokens,
          promptMs: timing.promptMs,
          promptTokensPerSecond: tokensPerSecond(timing.promptTokens, timing.promptMs),
          ttftMs: timing.ttftMs,
          outputTokens: timing.outputTokens,
          generationMs: timing.generationMs,
          generationTokensPerSecond: tokensPerSecond(timing.outputTokens - 1, timing.generationMs),
          totalMs: timing.totalMs,
          peakRssBytes,
        };
        await channel.post({ type: "inference-sample", caseIndex, contextSize: job.inferenceContextSize, sample });
      }
    }
  } catch (error) {
    await log.settle();
    await channel.post({
      type: "stage-error",
      caseIndex,
      error: toStageError("inference", "inference-failed", error, { log }),
    });
  } finally {
    await context.dispose();
  }
}
