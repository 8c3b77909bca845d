import { cleanupStage } from "./cleanupStage.ts";
import { concurrencyStage } from "./concurrencyStage.ts";
import { contextsStage } from "./contextsStage.ts";
import { engineWarmUp } from "./engineWarmUp.ts";
import { inferenceStage } from "./inferenceStage.ts";
import type { LlamaLogSink } from "./llamaLogSink.ts";
import { loadStage } from "./loadStage.ts";
import { openBackend } from "./openBackend.ts";
import { PeakTracker } from "./peakTracker.ts";
import type { GroupJob } from "./protocol.ts";
import { qualityStage } from "./qualityStage.ts";
import { toStageError } from "./stageError.ts";
import type { WorkerChannel } from "./workerChannel.ts";

/**
 * One load group, start to finish: ready, load (+ first decode), an untimed engine warm-up, then per case
 * its inference and contexts stages, then the quality stage when the job asks for it, then cleanup. A stage that fails reports a `stage-error` and the group goes on where that still
 * makes sense (a failed case does not stop the next case; a failed load ends the group). Always ends in `done`.
 */
export async function runGroup(channel: WorkerChannel, job: GroupJob, log: LlamaLogSink): Promise<void> {
  let backend: Awaited<ReturnType<typeof openBackend>>;
  try {
    backend = await openBackend(log, job.gpuLayers > 0);
  } catch (error) {
    await channel.post({
      type: "stage-error",
      caseIndex: null,
      error: toStageError("load", "backend-unavailable", error, { log }),
    });
    await channel.post({ type: "done" });
    return;
  }
  await channel.post(backend.ready);
  const session = { llama: backend.llama, channel, job, log };
  const loaded = await loadStage(session);
  if (loaded) {
    await engineWarmUp(session, loaded.model);
    const peaks = new PeakTracker();
    for (const [caseIndex, settings] of job.cases.entries()) {
      await inferenceStage(session, loaded.model, caseIndex, settings, peaks);
      if (job.concurrency.length > 0) await concurrencyStage(session, loaded.model, caseIndex, settings, peaks);
      await contextsStage(session, loaded.model, caseIndex, settings);
    }
    const firstCase = job.cases[0];
    if (job.quality && firstCase) await qualityStage(session, loaded.model, firstCase, peaks);
    await cleanupStage(session, loaded.model, loaded.load, peaks);
  } else {
    await backend.llama.dispose();
  }
  await channel.post({ type: "done" });
}
