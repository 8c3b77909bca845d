import { readFileSync } from "node:fs";
import { getLlama, type Llama, LlamaLogLevel } from "node-llama-cpp";
import type { LlamaLogSink } from "./llamaLogSink.ts";
import type { ChildMessage } from "./protocol.ts";

/** llama.cpp's system info is one line of "FEATURE = 1 |" pairs (~200 characters here); bounded all the same. */
const MAX_SYSTEM_INFO_CHARS = 2000;

export type ReadyMessage = Extract<ChildMessage, { type: "ready" }>;

/**
 * Opens llama.cpp the way this project must: the CPU build (`gpu: false` when no GPU layers are asked for),
 * never compiling or downloading (`build: "never"`), `maxThreads: 0` so each context's `threads` is used
 * exactly (the default caps and splits threads, and oversubscribes a 2-core machine), and every log line
 * routed to `log` instead of the console.
 */
export async function openBackend(log: LlamaLogSink, wantGpu: boolean): Promise<{ llama: Llama; ready: ReadyMessage }> {
  const llama = await getLlama({
    gpu: wantGpu ? "auto" : false,
    build: "never",
    maxThreads: 0,
    logLevel: LlamaLogLevel.warn,
    logger: log.write,
    progressLogs: false,
  });
  const release = llama.llamaCppRelease;
  return {
    llama,
    ready: {
      type: "ready",
      nodeLlamaCpp: nodeLlamaCppVersion(),
      llamaCppBuild: `${release.repo}@${release.release}`,
      backend: llama.gpu === false ? "cpu" : llama.gpu,
      llamaCppSystemInfo: llama.systemInfo.trim().slice(0, MAX_SYSTEM_INFO_CHARS),
      buildType: llama.buildType,
    },
  };
}

/** node-llama-cpp does not export its version; its package.json sits one folder above its entry point. */
function nodeLlamaCppVersion(): string {
  const manifestUrl = new URL("../package.json", import.meta.resolve("node-llama-cpp"));
  const manifest = JSON.parse(readFileSync(manifestUrl, "utf8")) as { version?: string };
  return manifest.version ?? "unknown";
}
