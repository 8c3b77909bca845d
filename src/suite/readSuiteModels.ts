import { stat } from "node:fs/promises";
import path from "node:path";
import { GgufBenchError } from "../errors.ts";
import { modelFingerprint } from "../gguf/fingerprint.ts";
import { readModelInfo } from "../gguf/readModelInfo.ts";
import type { CaseSettings, ModelResult, RunConfig } from "../results/types.ts";
import type { ModelIdentity } from "../runner/assembleModelResults.ts";
import { unreadableModelInfo } from "./unreadableModelInfo.ts";

export interface SuiteModel {
  file: string;
  /** Display name; default the file's base name. */
  label?: string;
  synthetic: boolean;
}

export type ReadModel = { ok: true; identity: ModelIdentity } | { ok: false; failure: ModelResult };

/**
 * Stage 1 (metadata) for every model, before any process starts: a file that is missing or not a readable GGUF
 * becomes a failed result here, so it never costs a child process and the rest of the suite goes on.
 */
export async function readSuiteModel(model: SuiteModel, config: RunConfig, caseId: string): Promise<ReadModel> {
  const label = model.label ?? path.basename(model.file);
  try {
    const info = await readModelInfo(model.file);
    const fileFingerprint = await modelFingerprint(model.file);
    // A split model is loaded from its first part whichever part was named: llama.cpp refuses any other
    // ("illegal split file idx … model must be loaded with the first split").
    return { ok: true, identity: { label, file: info.file, fileFingerprint, synthetic: model.synthetic, info } };
  } catch (error) {
    const code = error instanceof GgufBenchError ? error.code : "metadata-failed";
    const message = error instanceof Error ? error.message : String(error);
    const fileBytes = await stat(model.file).then(
      (s) => s.size,
      () => 0,
    );
    const { sweep } = config;
    const settings: CaseSettings = {
      threads: sweep.threads[0] ?? 1,
      batchSize: sweep.batchSize[0] ?? 512,
      ubatchSize: sweep.ubatchSize[0] ?? 512,
      flashAttention: sweep.flashAttention[0] ?? false,
      kvCacheType: sweep.kvCacheType[0] ?? "f16",
      mmap: sweep.mmap[0] ?? true,
      gpuLayers: sweep.gpuLayers[0] ?? 0,
      cache: sweep.cache[0] ?? "unknown",
      engine: sweep.engine[0] ?? "node-llama-cpp",
    };
    return {
      ok: false,
      failure: {
        caseId,
        label,
        file: model.file,
        fileFingerprint: "",
        synthetic: model.synthetic,
        info: unreadableModelInfo(model.file, fileBytes),
        settings,
        status: "failed",
        process: { pid: null, outcome: "error", exitCode: null, signal: null, wallMs: 0 },
        load: null,
        inference: null,
        contexts: [],
        cleanup: null,
        concurrency: [],
        errors: [{ stage: "metadata", code, message }],
      },
    };
  }
}
