import { ggmlTypeId, ggmlTypeInfo } from "./ggmlTypes.ts";
import { type SynthType, synthTypeSpec } from "./synthTypes.ts";

/**
 * Why a synthetic model holds none of its `--type`'s main weight type, so it runs other kernels than the label says:
 * "tiny q4_k_m holds Q5_0 + Q8_0, no Q4_K: rows that are not a multiple of 256 cannot be k-quantised (llama.cpp's quantizer falls back)".
 * llama.cpp's quantizer gives a tensor whose rows the type's block does not divide a fallback type
 * (llama_tensor_get_type); `tensors` are the file's tensors as typed by those rules. Null when any tensor holds the
 * main type (llama_ftype_get_default_type) or the type is unquantised.
 */
export function synthTypeNote(preset: string, type: SynthType, tensors: { typeId: number }[]): string | null {
  const main = synthTypeSpec(type).defaultType;
  const mainId = ggmlTypeId(main);
  const block = ggmlTypeInfo(mainId)?.blockElements ?? 1;
  if (block === 1 || tensors.some((t) => t.typeId === mainId)) return null;
  const held = [...new Set(tensors.map((t) => ggmlTypeInfo(t.typeId)?.name ?? `type ${t.typeId}`))]
    .filter((name) => name !== "F32")
    .join(" + ");
  const why = main.endsWith("_K")
    ? `rows that are not a multiple of ${block} cannot be k-quantised`
    : `rows that are not a multiple of ${block} cannot be ${main}`;
  return `${preset} ${type} holds ${held || "F32"}, no ${main}: ${why} (llama.cpp's quantizer falls back)`;
}
