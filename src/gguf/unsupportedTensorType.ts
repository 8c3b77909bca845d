import { ggmlTypeInfo } from "./ggmlTypes.ts";

/**
 * Tensor types the bundled llama.cpp refuses to load although old files may name them: Q4_2 and Q4_3 (ids 4, 5)
 * and the pre-repacked Q4_0_4_4 … IQ4_NL_8_8 (31–33, 36–38), all removed from ggml (ggml.c gives them block size 0).
 */
const REMOVED_FROM_GGML: Record<number, string> = {
  4: "Q4_2",
  5: "Q4_3",
  31: "Q4_0_4_4",
  32: "Q4_0_4_8",
  33: "Q4_0_8_8",
  36: "IQ4_NL_4_4",
  37: "IQ4_NL_4_8",
  38: "IQ4_NL_8_8",
};

/**
 * Why llama.cpp cannot use a tensor of ggml type `typeId`, with what to do; null when it can. The file itself is
 * well-formed: the type is simply not one this llama.cpp (node-llama-cpp 3.21.1, ggml types 0–42) implements.
 */
export function unsupportedTensorType(typeId: number): string | null {
  const removed = REMOVED_FROM_GGML[typeId];
  if (removed === undefined && ggmlTypeInfo(typeId)) return null;
  if (typeId === 4) {
    return (
      "ggml type 4 (Q4_2) was removed from ggml; some gpt-oss files made outside llama.cpp store MXFP4 under " +
      "it: use a file whose MXFP4 tensors have type 39, as llama.cpp's converter writes"
    );
  }
  if (removed?.includes("_4_") || removed?.includes("_8_")) {
    return `ggml type ${typeId} (${removed}) was removed from ggml: re-quantize to ${removed.replace(/_\d_\d$/, "")} (llama.cpp repacks it at load)`;
  }
  if (removed) return `ggml type ${typeId} (${removed}) was removed from ggml: re-quantize the model`;
  return (
    `ggml type ${typeId} is not one the bundled llama.cpp knows (it has types 0–42): the file was written for a ` +
    "fork with its own types (e.g. ik_llama.cpp's IQ*_K) or a newer ggml; use a file quantized with a standard type"
  );
}
