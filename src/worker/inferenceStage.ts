import type { LlamaContext, LlamaContextSequence, LlamaModel } from "node-llama-cpp";
import type { CaseSettings, InferenceSample } from "../results/types.ts";
import { checkedFractions, stopAfterRound } from "../stats/autoRuns.ts";
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
 * after `job.runs` rounds with a fixed count, or, with `job.autoRuns`, when the CI target or a cap is reached.
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
    for (let round = 0; round < job.warmupRuns; round++)
      for (const prompt of job.prompts) await runOnce(session, model, sequence, caseIndex, prompt, -1, peaks);

    const timed: InferenceSample[] = [];
    let elapsedMs = 0;
    for (let round = 0; ; round++) {
      const roundStart = performance.now();
      for (const prompt of job.prompts)
        timed.push(await runOnce(session, model, sequence, caseIndex, prompt, round, peaks));
      const lastRoundMs = performance.now() - roundStart;
      elapsedMs += lastRoundMs;
      const reason = stopAfterRound({
        samples: timed,
        rounds: round + 1,
        minRuns: job.runs,
        policy: job.autoRuns,
        elapsedMs,
        lastRoundMs,
      });
      if (reason === null) continue;
      const stopping = {
        mode: job.autoRuns ? ("auto" as const) : ("fixed" as const),
        runsPerPrompt: round + 1,
        reason,
        targetCiFraction: job.autoRuns?.targetCiFraction ?? null,
        ciHalfWidthFraction: checkedFractions(timed),
        timedMs: elapsedMs,
      };
      await channel.post({ type: "inference-done", caseIndex, stopping });
      break;
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
    promptTokens: timing.promptTokens,
    promptMs: timing.promptMs,
    promptTokensPerSecond: timing.promptTokensPerSecond,
    ttftMs: timing.ttftMs,
    outputTokens: timing.outputTokens,
    generationMs: timing.generationMs,
    generationTokensPerSecond: timing.generationTokensPerSecond,
    totalMs: timing.totalMs,
    peakRssBytes,
  };
  await channel.post({ type: "inference-sample", caseIndex, contextSize: job.inferenceContextSize, sample });
  return sample;
}
