import type { LlamaModel } from "node-llama-cpp";
import type { CleanupResult, LoadResult } from "../results/types.ts";
import { cleanupFraction } from "./cleanupFraction.ts";
import type { PeakTracker } from "./peakTracker.ts";
import { toStageError } from "./stageError.ts";
import { collectGarbage, type WorkerSession } from "./workerSession.ts";

/**
 * Cleanup stage: memory with only the model left, then the model and the llama.cpp backend disposed and
 * garbage collected, then memory again. `releasedBytes` is the RSS difference (negative if it grew).
 */
export async function cleanupStage(
  session: WorkerSession,
  model: LlamaModel,
  load: LoadResult,
  peaks: PeakTracker,
): Promise<void> {
  const { channel, llama, log } = session;
  await channel.post({ type: "stage", stage: "cleanup", caseIndex: null, detail: "dispose model" });
  try {
    const before = await channel.measure(true);
    await model.dispose();
    await llama.dispose();
    collectGarbage();
    const after = await channel.measure(false);
    const releasedBytes = before.snapshot.vmRssBytes - after.snapshot.vmRssBytes;
    const peak = Math.max(peaks.peakRssBytes, load.peakRssBytes);
    const cleanup: CleanupResult = {
      before: before.snapshot,
      after: after.snapshot,
      releasedBytes,
      releasedFraction: cleanupFraction(releasedBytes, peak, load.before.vmRssBytes),
    };
    await channel.post({ type: "cleanup", cleanup });
  } catch (error) {
    await log.settle();
    await channel.post({
      type: "stage-error",
      caseIndex: null,
      error: toStageError("cleanup", "cleanup-failed", error, { log }),
    });
  }
}
