import type { Llama } from "node-llama-cpp";
import type { LlamaLogSink } from "./llamaLogSink.ts";
import type { GroupJob } from "./protocol.ts";
import type { WorkerChannel } from "./workerChannel.ts";

/** What every stage of one load group shares. */
export interface WorkerSession {
  llama: Llama;
  channel: WorkerChannel;
  job: GroupJob;
  log: LlamaLogSink;
}

/** Collect garbage when the parent forked us with --expose-gc, so memory baselines exclude dead JS objects. */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
}
