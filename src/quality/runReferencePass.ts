import path from "node:path";
import type { ReferenceOutcome, RunConfig } from "../results/types.ts";
import { runGroup } from "../runner/runGroup.ts";
import type { WorkerEntry } from "../runner/workerEntry.ts";
import type { ReferenceJob } from "../worker/protocol.ts";
import type { QualitySetup } from "./prepareQuality.ts";

/**
 * Computes the reference distributions once per run, in a child of its own supervised like a model's (timeout
 * `config.timeoutMs`, Ctrl-C kills it): the reference model evaluated on the run's first threads, batch size and
 * flash-attention values with an f16 KV cache. Returns the outcome (an error is an outcome, never thrown).
 */
export async function runReferencePass(options: {
  setup: QualitySetup;
  vocabularyFingerprint: string;
  config: RunConfig;
  outDir: string;
  signal?: AbortSignal;
  worker?: WorkerEntry;
  onProgress?: (detail: string) => void;
}): Promise<ReferenceOutcome> {
  const { config, setup } = options;
  const reference = setup.config.reference;
  if (reference === null) return { status: "error", code: "no-reference", message: "no --reference was given" };
  const { sweep } = config;
  const batchSize = sweep.batchSize[0] ?? 512;
  const job: ReferenceJob = {
    kind: "reference",
    file: reference.file,
    label: reference.label,
    fingerprint: reference.fingerprint,
    vocabularyFingerprint: options.vocabularyFingerprint,
    mmap: sweep.mmap[0] ?? true,
    gpuLayers: sweep.gpuLayers[0] ?? 0,
    settings: {
      threads: sweep.threads[0] ?? 1,
      batchSize,
      ubatchSize: batchSize,
      flashAttention: sweep.flashAttention[0] ?? false,
      kvCacheType: "f16",
      mmap: sweep.mmap[0] ?? true,
      gpuLayers: sweep.gpuLayers[0] ?? 0,
      cache: "unknown",
      engine: "node-llama-cpp",
    },
    textFile: path.join(options.outDir, setup.config.textFile),
    textSha256: setup.config.textSha256,
    contextSize: setup.config.contextSize,
    outFile: path.join(options.outDir, reference.distributionsFile),
  };
  const run = await runGroup({
    job,
    timeoutMs: config.timeoutMs,
    signal: options.signal,
    worker: options.worker,
    onMessage: (message) => {
      if (message.type === "stage") options.onProgress?.(message.detail);
    },
  });
  if (run.collected.reference) return run.collected.reference;
  const cause = run.processError ?? run.collected.groupErrors[0];
  return {
    status: "error",
    code: cause?.code ?? "reference-failed",
    message: `reference ${reference.label}: ${cause?.message ?? "the child ended without a result"}`,
  };
}
