import path from "node:path";
import type { ModelInfo } from "../gguf/modelInfo.ts";

/**
 * Stand-in model info for a file whose header could not be read: the result still needs an `info`, and every
 * field says "not known" (null / 0 / "unknown") rather than guessing.
 */
export function unreadableModelInfo(file: string, fileBytes: number): ModelInfo {
  return {
    file,
    files: [file],
    fileBytes,
    ggufVersion: 0,
    architecture: "unknown",
    name: path.basename(file),
    sizeLabel: null,
    parameterCount: 0,
    fileType: null,
    quantization: "unknown",
    tensorTypes: {},
    tensorDataBytes: 0,
    contextLength: null,
    embeddingLength: null,
    blockCount: null,
    headCount: null,
    headCountKv: null,
    headCountKvPerLayer: null,
    headDim: null,
    valueDim: null,
    feedForwardLength: null,
    vocabSize: null,
    slidingWindow: null,
    rope: { dimensionCount: null, freqBase: null, scalingType: null, scalingFactor: null, originalContextLength: null },
    moe: null,
    kvBytesPerToken: null,
  };
}
