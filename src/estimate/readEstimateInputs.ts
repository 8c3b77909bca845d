import { ggmlTypeInfo } from "../gguf/ggmlTypes.ts";
import type { ModelInfo } from "../gguf/modelInfo.ts";
import { readGgufFile } from "../gguf/readGgufFile.ts";
import { tensorBytes } from "../gguf/readGgufHeader.ts";
import { readModelInfo } from "../gguf/readModelInfo.ts";
import type { EstimateTensor } from "./weightMemory.ts";

/** The model info and per-tensor list of every part of a model, from the headers only. */
export async function readEstimateInputs(path: string): Promise<{ info: ModelInfo; tensors: EstimateTensor[] }> {
  const info = await readModelInfo(path);
  const tensors: EstimateTensor[] = [];
  for (const [part, file] of info.files.entries()) {
    const header = await readGgufFile(file);
    for (const tensor of header.tensors) {
      tensors.push({
        name: tensor.name,
        type: ggmlTypeInfo(tensor.typeId)?.name ?? `TYPE_${tensor.typeId}`,
        dimensions: tensor.dimensions,
        bytes: tensorBytes(tensor),
        offset: tensor.offset,
        part,
      });
    }
  }
  return { info, tensors };
}
