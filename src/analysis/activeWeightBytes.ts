import type { ModelInfo } from "../gguf/modelInfo.ts";

/**
 * Weight bytes read per decode step from the header summary alone, when the tensor list is not at hand (a
 * results.json written before ModelInfo.activeWeightBytesPerToken existed). The share of parameters read
 * (MoE: activeParameterCount) times the file's average bytes per parameter; the token embedding table is
 * assumed looked up, not read (an untied output): this keeps the bytes a lower bound, so
 * the speed bound stays an upper bound and "above the bound" always means a measurement error. For a model
 * with a tied output this under-counts by vocab × embedding parameters.
 */
export function activeWeightBytesFromInfo(info: ModelInfo): number {
  if (!(info.parameterCount > 0)) return info.tensorDataBytes;
  const bytesPerParameter = info.tensorDataBytes / info.parameterCount;
  const readParameters = info.moe ? info.moe.activeParameterCount : info.parameterCount;
  const embeddingParameters = info.vocabSize && info.embeddingLength ? (info.vocabSize - 1) * info.embeddingLength : 0;
  // Never let the assumption eat the whole model (odd shapes where the embedding is most of it).
  const skipped = Math.min(embeddingParameters, readParameters / 2);
  return (readParameters - skipped) * bytesPerParameter;
}
