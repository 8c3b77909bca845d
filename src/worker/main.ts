/**
 * The worker process: started by the runner with child_process.fork (and --expose-gc), it receives one
 * `run-group`, runs it and exits. The only code that imports node-llama-cpp. It never writes to
 * stdout/stderr while working: everything, failures included, goes to the parent as messages.
 */
import { format } from "node:util";
import { LlamaLogSink } from "./llamaLogSink.ts";
import type { ChildMessage, ParentMessage } from "./protocol.ts";
import { referencePass } from "./referencePass.ts";
import { runGroup } from "./runGroup.ts";
import { toStageError } from "./stageError.ts";
import { WorkerChannel } from "./workerChannel.ts";

const send = process.send?.bind(process);
if (!send) {
  process.stderr.write("gguf-bench worker: start me through the runner (child_process.fork), not directly\n");
  process.exit(2);
}

const channel = new WorkerChannel((message: ChildMessage, done) => {
  send(message, undefined, undefined, done);
});
process.on("message", (message) => channel.receive(message as ParentMessage));
// The parent went away: nobody is left to read the results.
process.on("disconnect", () => process.exit(0));

async function reportCrash(error: unknown): Promise<void> {
  try {
    await channel.post({
      type: "stage-error",
      caseIndex: null,
      error: toStageError("process", "worker-exception", error),
    });
    await channel.post({ type: "done" });
  } finally {
    process.exit(1);
  }
}
process.on("uncaughtException", (error) => void reportCrash(error));
process.on("unhandledRejection", (error) => void reportCrash(error));

const log = new LlamaLogSink();
// node-llama-cpp also warns through console (e.g. about a GGUF version it does not know): keep that off
// the terminal too, but keep it, so a failure's message can quote it.
for (const level of ["log", "info", "debug", "warn", "error", "trace"] as const)
  console[level] = (...args: unknown[]) => log.write(level === "error" ? "error" : "warn", format(...args));
const start = await channel.waitForJob();
try {
  if (start.type === "run-group") await runGroup(channel, start.job, log);
  else await referencePass(channel, start.job, log);
} catch (error) {
  await reportCrash(error);
}
process.disconnect();
process.exit(0);
