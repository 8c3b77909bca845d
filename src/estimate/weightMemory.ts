import { repackRowMultiple } from "./cpuRepackTypes.ts";

/** One tensor of the model as the memory estimate needs it. */
export interface EstimateTensor {
  name: string;
  /** ggml type name, e.g. "Q4_0". */
  type: string;
  /** ne[0] first, as stored. */
  dimensions: number[];
  bytes: number;
  /** Offset of the tensor's data in its file (with `part`), when known: bounds what stays mapped. */
  offset?: number;
  /** Index of the file part holding it (split models). */
  part?: number;
}

export interface WeightMemory {
  /** Weights served from the page cache through the file mapping (counted in RssFile once touched). */
  fileBackedBytes: number;
  /**
   * The part of fileBackedBytes that only loading reads: repacked tensors' own pages inside the mapped span. The
   * repacked copy is used instead, so these clean pages are never read again and the kernel can drop them freely.
   */
  loadOnlyMappedBytes: number;
  /** Weights in the process's own memory: everything without mmap, repacked copies with it. */
  anonymousBytes: number;
  /** Bytes of the tensors llama.cpp repacks on this CPU. */
  repackedBytes: number;
}

/**
 * Where the weights end up. With mmap llama.cpp keeps mapped, per file, the span from the first to the last
 * tensor it serves from the mapping (it unmaps the rest after loading), and every page of it is touched (loading
 * reads the repacked tensors inside the span too, and never again: loadOnlyMappedBytes); repacked tensors add an
 * anonymous copy. Without mmap the
 * weights are read into anonymous buffers once (repacked ones straight into the repack buffer).
 * The token embedding is never repacked (it is looked up with GET_ROWS, not multiplied); but a model without an
 * `output.weight` multiplies by a duplicate of it (llama.cpp's TENSOR_DUPLICATED), and that copy is repacked too
 * (seen in llama.cpp's log: "repack tensor token_embd.weight" beside the mapped one).
 */
export function weightMemory(tensors: EstimateTensor[], mmap: boolean, repackTypes: readonly string[]): WeightMemory {
  let total = 0;
  let repackedBytes = 0;
  const spans = new Map<number, { start: number; end: number }>();
  let mappedWithoutOffsets = 0;
  const repacked: EstimateTensor[] = [];
  for (const tensor of tensors) {
    total += tensor.bytes;
    if (isRepacked(tensor, repackTypes)) {
      repackedBytes += tensor.bytes;
      repacked.push(tensor);
      continue;
    }
    if (tensor.offset === undefined) {
      mappedWithoutOffsets += tensor.bytes;
      continue;
    }
    const part = tensor.part ?? 0;
    const span = spans.get(part) ?? { start: Number.POSITIVE_INFINITY, end: 0 };
    span.start = Math.min(span.start, tensor.offset);
    span.end = Math.max(span.end, tensor.offset + tensor.bytes);
    spans.set(part, span);
  }
  const embedding = tensors.find((tensor) => tensor.name === "token_embd.weight");
  const tiedOutput = !tensors.some((tensor) => tensor.name === "output.weight");
  const duplicate = embedding && tiedOutput && isRepacked({ ...embedding, name: "output.weight" }, repackTypes);
  if (duplicate) repackedBytes += embedding.bytes;
  let mapped = mappedWithoutOffsets;
  for (const span of spans.values()) mapped += span.end - span.start;
  let loadOnly = 0;
  for (const tensor of repacked) {
    const span = spans.get(tensor.part ?? 0);
    if (!span || tensor.offset === undefined) continue;
    loadOnly += Math.max(0, Math.min(span.end, tensor.offset + tensor.bytes) - Math.max(span.start, tensor.offset));
  }
  return mmap
    ? { fileBackedBytes: mapped, loadOnlyMappedBytes: loadOnly, anonymousBytes: repackedBytes, repackedBytes }
    : {
        fileBackedBytes: 0,
        loadOnlyMappedBytes: 0,
        anonymousBytes: total + (duplicate ? embedding.bytes : 0),
        repackedBytes,
      };
}

/**
 * Whether ggml-cpu's repack buffer takes this tensor (repack.cpp, extra_buffer_type::supports_op): a weight of
 * MUL_MAT with ggml_n_dims == 2, or an expert bank of MUL_MAT_ID (llama-arch.cpp: the `_exps` / `_chexps` tensors)
 * with ggml_n_dims == 3; rows in multiples of the kernel's interleave. A 3-D weight of a plain MUL_MAT (deepseek2's
 * attn_k_b / attn_v_b) stays in the CPU buffer, mapped.
 */
function isRepacked(tensor: EstimateTensor, repackTypes: readonly string[]): boolean {
  if (!repackTypes.includes(tensor.type) || tensor.name === "token_embd.weight") return false;
  const rows = tensor.dimensions[1] ?? 0;
  const expertBank = /_(?:ch)?exps\.weight$/.test(tensor.name);
  return nDims(tensor.dimensions) === (expertBank ? 3 : 2) && rows % repackRowMultiple(tensor.type) === 0;
}

/** ggml_n_dims: the number of dimensions up to the last one larger than 1 (at least 1). */
function nDims(dimensions: readonly number[]): number {
  let dims = dimensions.length;
  while (dims > 1 && dimensions[dims - 1] === 1) dims--;
  return Math.max(dims, 1);
}
