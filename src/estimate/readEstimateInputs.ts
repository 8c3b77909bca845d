import { ggmlTypeInfo } from "../gguf/ggmlTypes.ts";
import type { ModelInfo } from "../gguf/modelInfo.ts";
import { readGgufFile } from "../gguf/readGgufFile.ts";
import { type GgufHeader, tensorBytes } from "../gguf/readGgufHeader.ts";
import { readModelInfo } from "../gguf/readModelInfo.ts";
import type { EstimateTensor } from "./weightMemory.ts";

/** The model info and per-tensor list of every part of a model, from the headers only. */
export async function readEstimateInputs(path: string): Promise<{ info: ModelInfo; tensors: EstimateTensor[] }> {
  const info = await readModelInfo(path);
  const tensors: EstimateTensor[] = [];
  for (const [part, file] of info.files.entries()) {
    tensors.push(...estimateTensors(await readGgufFile(file), part));
  }
  return { info, tensors };
}

/** The tensors of one parsed header (part `part` of its model) as the estimate takes them. */
export function estimateTensors(header: GgufHeader, part: number): EstimateTensor[] {
  return header.tensors.map((tensor) => ({
    name: tensor.name,
    type: ggmlTypeInfo(tensor.typeId)?.name ?? `TYPE_${tensor.typeId}`,
    dimensions: tensor.dimensions,
    bytes: tensorBytes(tensor),
    offset: tensor.offset,
    part,
  }));
}
