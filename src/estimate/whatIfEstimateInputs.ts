import { UsageError } from "../errors.ts";
import { deriveModelInfo } from "../gguf/deriveModelInfo.ts";
import { encodeGgufHeader } from "../gguf/encodeGgufHeader.ts";
import { fingerprintOfHeaders } from "../gguf/fingerprint.ts";
import type { ModelInfo } from "../gguf/modelInfo.ts";
import { readGgufHeader } from "../gguf/readGgufHeader.ts";
import { synthModelHeader } from "../gguf/synthesize.ts";
import { layoutTensors } from "../gguf/writeGgufFile.ts";
import { parseWhatIf, whatIfLabel } from "../whatif/parseWhatIf.ts";
import { estimateTensors } from "./readEstimateInputs.ts";
import type { EstimateTensor } from "./weightMemory.ts";

/**
 * The estimate's inputs for a `--what-if` shape (`arch:preset:type`, as `run --what-if` takes it) without writing
 * its weights: the header `run --what-if` would synthesise (same metadata, name and tensor layout) is encoded in
 * memory and read back by the GGUF reader, so the model info, the tensors and the fingerprint are those of the file
 * `run --what-if` writes. `file` is the what-if label. UsageError for a bad spec (and for `seed`, a list of shapes).
 */
export async function whatIfEstimateInputs(
  spec: string,
): Promise<{ file: string; fingerprint: string; info: ModelInfo; tensors: EstimateTensor[] }> {
  if (spec.trim().toLowerCase() === "seed") {
    throw new UsageError("--what-if seed is several shapes: estimate takes one <arch>:<preset>:<type>");
  }
  const parsed = parseWhatIf(spec);
  const file = whatIfLabel(parsed);
  const { metadata, tensors, alignment } = synthModelHeader({ ...parsed, name: file });
  const { infos, dataBytes } = layoutTensors(tensors, alignment);
  const encoded = encodeGgufHeader(metadata, infos, { alignment });
  const fileBytes = encoded.length + dataBytes;
  const source = {
    read: async (buffer: Buffer, offset: number, length: number, position: number) => ({
      bytesRead:
        position >= encoded.length
          ? 0
          : encoded.copy(buffer, offset, position, Math.min(position + length, encoded.length)),
    }),
  };
  const header = await readGgufHeader(source, fileBytes, file);
  return {
    file,
    fingerprint: fingerprintOfHeaders([encoded.subarray(0, header.headerBytes)], fileBytes),
    info: deriveModelInfo([{ path: file, header }]),
    tensors: estimateTensors(header, 0),
  };
}
