import { modelFingerprint } from "../gguf/fingerprint.ts";
import type { ModelInfo } from "../gguf/modelInfo.ts";
import type { ResultStore } from "../store/resultStore.ts";
import { availableMemory } from "./availableMemory.ts";
import { compareWithMeasured, type MeasuredComparisonRow } from "./compareWithMeasured.ts";
import { cpuRepackTypes } from "./cpuRepackTypes.ts";
import { type EstimateSettings, estimateMemory, type MemoryEstimate } from "./estimateMemory.ts";
import { measuredCases } from "./measuredCases.ts";
import { readEstimateInputs } from "./readEstimateInputs.ts";
import { runtimeBaseline } from "./runtimeBaseline.ts";
import { whatIfEstimateInputs } from "./whatIfEstimateInputs.ts";

/** Above this share of the available memory a fit is "tight": the page cache and other programs will suffer. */
export const TIGHT_FIT_FRACTION = 0.9;

/** "unknown" when the total cannot be predicted (the KV cache is unknown): never a guess that it fits. */
export type Fit = "fits" | "tight" | "does-not-fit" | "unknown";

export interface EstimateReport {
  /** The file's path, or the what-if label ("what-if gemma3 gemma-3-4b q4_k_m"). */
  file: string;
  fileFingerprint: string;
  info: Pick<
    ModelInfo,
    "architecture" | "name" | "quantization" | "parameterCount" | "fileBytes" | "contextLength" | "tokenizer"
  >;
  settings: EstimateSettings;
  machine: {
    availableBytes: number;
    availableSource: string;
    repackTypes: string[];
    runtimeBaselineBytes: number;
    runtimeBaselineSource: string;
  };
  estimates: (MemoryEstimate & { fit: Fit; beyondTrainingContext: boolean })[];
  /** The newest measured case of this model with the same settings, prediction beside measurement; else null. */
  measured: { runId: string; caseId: string; startedAt: string; rows: MeasuredComparisonRow[] } | null;
}

/** A GGUF file, or a `--what-if` shape (`arch:preset:type`) estimated from the header the synthesiser would write. */
export type EstimateSource = { path: string } | { whatIf: string };

/**
 * Reads the header (of the file, or of the what-if shape without writing it), consults the history (when a store
 * is given) and predicts memory per context size.
 */
export async function runEstimate(
  source: EstimateSource,
  contexts: number[],
  settings: EstimateSettings,
  store: ResultStore | null,
): Promise<EstimateReport> {
  const {
    file: path,
    fingerprint: fileFingerprint,
    info,
    tensors,
  } = "whatIf" in source ? await whatIfEstimateInputs(source.whatIf) : await fileInputs(source.path);
  const repackTypes = cpuRepackTypes();
  const past = store ? await measuredCases(store, fileFingerprint) : [];
  const baseline = runtimeBaseline(past.map((p) => p.model));
  const available = availableMemory();
  // One row per size, in the order first given (a repeated size adds nothing).
  const estimates = estimateMemory(info, tensors, [...new Set(contexts)], settings, {
    repackTypes,
    runtimeBaselineBytes: baseline.bytes,
  }).map((estimate) => ({
    ...estimate,
    fit: fitOf(estimate.requiredBytes, available.bytes),
    beyondTrainingContext: info.contextLength !== null && estimate.contextSize > info.contextLength,
  }));
  const sameSettings = past.find(
    ({ model }) =>
      model.settings.kvCacheType === settings.kvCacheType &&
      model.settings.flashAttention === settings.flashAttention &&
      model.settings.batchSize === settings.batchSize &&
      model.settings.mmap === settings.mmap &&
      model.contexts.some((c) => c.status === "ok"),
  );
  const rows = sameSettings ? compareWithMeasured(info, tensors, sameSettings.model, repackTypes) : [];
  return {
    file: path,
    fileFingerprint,
    info: {
      architecture: info.architecture,
      name: info.name,
      quantization: info.quantization,
      parameterCount: info.parameterCount,
      fileBytes: info.fileBytes,
      contextLength: info.contextLength,
      ...(info.tokenizer ? { tokenizer: info.tokenizer } : {}),
    },
    settings,
    machine: {
      availableBytes: available.bytes,
      availableSource: available.source,
      repackTypes,
      runtimeBaselineBytes: baseline.bytes,
      runtimeBaselineSource: baseline.source,
    },
    estimates,
    measured:
      sameSettings && rows.length > 0
        ? {
            runId: sameSettings.run.runId,
            caseId: sameSettings.model.caseId,
            startedAt: sameSettings.run.startedAt,
            rows,
          }
        : null,
  };
}

/**
 * Judges what must stay resident (MemoryEstimate.requiredBytes: the peak minus the mapped pages only loading reads)
 * against the available memory.
 */
async function fileInputs(path: string) {
  const { info, tensors } = await readEstimateInputs(path);
  return { file: path, fingerprint: await modelFingerprint(path), info, tensors };
}

export function fitOf(requiredBytes: number | null, availableBytes: number): Fit {
  if (requiredBytes === null) return "unknown";
  if (requiredBytes > availableBytes) return "does-not-fit";
  return requiredBytes > availableBytes * TIGHT_FIT_FRACTION ? "tight" : "fits";
}
