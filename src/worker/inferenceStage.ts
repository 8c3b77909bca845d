import type { LlamaContext, LlamaContextSequence, LlamaModel } from "node-llama-cpp";
import { recordedMetrics } from "../metrics/recordedMetrics.ts";
import type { CaseSettings, InferenceSample } from "../results/types.ts";
import { runRounds } from "../stats/runRounds.ts";
import { createCaseContext } from "./createCaseContext.ts";
import type { PeakTracker } from "./peakTracker.ts";
import { promptTokens } from "./promptTokens.ts";
import { toStageError } from "./stageError.ts";
import { timedGeneration } from "./timedGeneration.ts";
import type { WorkerSession } from "./workerSession.ts";

/**
 * Inference stage of one case: one context of `job.inferenceContextSize` with the case's settings, then rounds
 * of runs, each round running every prompt once (so prompts stay balanced in the summaries): `warmupRuns`
 * untimed-for-statistics rounds (sent flagged, run −1), then timed rounds until `stopAfterRound` says stop —
 * after `job.runs` rounds with a fixed count, or, with `job.autoRuns`, when the CI target or a cap is reached
 * (`runRounds`, shared with the serving engines).
 * Every run starts from an empty KV cache (history cleared, checked in `timedGeneration`), so no run reuses a
 * cached prompt. Memory: the peak is reset before each run and read after it. Samples are streamed one by one;
 * `inference-done` says how many timed runs there were and why they stopped.
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
    const stopping = await runRounds(job, (prompt, run) =>
      runOnce(session, model, sequence, caseIndex, prompt, run, peaks),
    );
    if (stopping !== null) await channel.post({ type: "inference-done", caseIndex, stopping });
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

/** One run of one prompt from an empty KV cache, streamed to the parent; `run` −1 for a warm-up. */
async function runOnce(
  session: WorkerSession,
  model: LlamaModel,
  sequence: LlamaContextSequence,
  caseIndex: number,
  prompt: WorkerSession["job"]["prompts"][number],
  run: number,
  peaks: PeakTracker,
): Promise<InferenceSample> {
  const { channel, job, log } = session;
  await sequence.clearHistory();
  await channel.measure(true);
  log.clear();
  const timing = await timedGeneration(sequence, () => promptTokens(model, prompt.text), job);
  const { peakRssBytes } = await channel.measure(false);
  peaks.observe(peakRssBytes);
  const sample: InferenceSample = {
    promptId: prompt.id,
    run,
    warmup: run < 0,
    ...recordedMetrics(timing),
    peakRssBytes,
  };
  await channel.post({ type: "inference-sample", caseIndex, contextSize: job.inferenceContextSize, sample });
  return sample;
}
