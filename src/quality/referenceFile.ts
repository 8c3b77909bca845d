import { closeSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import type { ReferencePosition } from "./scorePosition.ts";

/**
 * The reference distributions of `run --quality --reference`, written once per run into the output folder
 * (`quality-reference.bin`) and read by every model's quality stage. Little-endian:
 *
 *   0      8 bytes  magic "GGBQREF\0"
 *   8      u32      format version (1)
 *   12     u32      byte length of the JSON header
 *   16     JSON header (ReferenceHeader), padded with spaces to HEADER_BYTES
 *   HEADER_BYTES    i32 × tokenCount: the evaluated tokens (chunks × contextSize, as tokenised by the reference)
 *   then, per chunk, per scored position: f32 ln p(next token), f32 ln(rest mass), u32 × topK token ids,
 *                   f32 × topK ln-probabilities (most likely first)
 *
 * Size is bounded: llama-perplexity's own base file keeps every token of every position as 16 bits (2 × vocab
 * bytes per position: 300 MB for 2,000 positions of a 150K vocabulary); this keeps the reference's top K tokens
 * (K = the whole vocabulary when it has ≤ MAX_TOP_K tokens) and the mass of the rest, as float32, with K lowered
 * for long texts so the file stays under MAX_REFERENCE_BYTES.
 */
export const REFERENCE_MAGIC = "GGBQREF\0";
export const REFERENCE_FORMAT_VERSION = 1;
export const HEADER_BYTES = 16384;
/** Tokens kept per position at most: covers practically all of a trained model's mass at each position. */
export const MAX_TOP_K = 1024;
/** Fewest tokens kept per position; a text needing fewer to fit is refused as too long. */
export const MIN_TOP_K = 32;
export const MAX_REFERENCE_BYTES = 256 * 1024 * 1024;

export interface ReferenceHeader {
  vocabSize: number;
  /** Tokens per chunk (llama-perplexity's n_ctx). */
  contextSize: number;
  chunks: number;
  /** First scored position in a chunk (contextSize / 2); positions first … contextSize − 2 predict the next token. */
  firstScored: number;
  positionsPerChunk: number;
  topK: number;
  /** The BOS token every chunk starts with (llama-perplexity replaces each chunk's first token by it), or null. */
  bosToken: number | null;
  /** Tokens of the whole text (BOS included); tokenCount = chunks × contextSize of them are kept. */
  textTokens: number;
  tokenCount: number;
  model: { file: string; label: string; fingerprint: string; vocabularyFingerprint: string };
  textSha256: string;
  /** The reference's own perplexity over the positions, with its standard error; mean rest mass per position. */
  perplexity: number;
  perplexityStandardError: number | null;
  meanRestMass: number;
}

export function recordBytes(topK: number): number {
  return 8 + 8 * topK;
}

/** Bytes of a reference file with this header. */
export function referenceFileBytes(
  header: Pick<ReferenceHeader, "tokenCount" | "chunks" | "positionsPerChunk" | "topK">,
): number {
  return HEADER_BYTES + 4 * header.tokenCount + header.chunks * header.positionsPerChunk * recordBytes(header.topK);
}

/** K for `positions` scored positions: min(vocab, MAX_TOP_K), lowered to fit MAX_REFERENCE_BYTES; null when even MIN_TOP_K does not fit. */
export function chooseTopK(vocabSize: number, positions: number, tokenCount: number): number | null {
  const room = MAX_REFERENCE_BYTES - HEADER_BYTES - 4 * tokenCount;
  const fits = Math.floor((room / Math.max(1, positions) - 8) / 8);
  const k = Math.min(vocabSize, MAX_TOP_K, fits);
  return k >= Math.min(vocabSize, MIN_TOP_K) ? k : null;
}

/**
 * Streams a reference file: tokens first, then positions in order; the header is written last (it holds the
 * reference's perplexity), and the file appears under `path` only when finished (a temporary name until then).
 */
export class ReferenceWriter {
  private readonly partial: string;
  private readonly fd: number;
  private position: number;
  private written = 0;
  private closed = false;

  constructor(
    private readonly path: string,
    private readonly topK: number,
    tokens: ArrayLike<number>,
  ) {
    this.partial = `${path}.partial-${process.pid}`;
    this.fd = openSync(this.partial, "w");
    const tokenBytes = Buffer.alloc(4 * tokens.length);
    for (let i = 0; i < tokens.length; i++) tokenBytes.writeInt32LE(tokens[i] as number, 4 * i);
    writeSync(this.fd, tokenBytes, 0, tokenBytes.length, HEADER_BYTES);
    this.position = HEADER_BYTES + tokenBytes.length;
  }

  /** Appends positions (a chunk's worth at a time keeps writes large). */
  append(positions: readonly ReferencePosition[]): void {
    const size = recordBytes(this.topK);
    const buffer = Buffer.alloc(positions.length * size);
    for (const [n, p] of positions.entries()) {
      if (p.topTokens.length !== this.topK)
        throw new Error(`a position keeps ${p.topTokens.length} tokens, not ${this.topK}`);
      let at = n * size;
      at = buffer.writeFloatLE(p.nextTokenLogProb, at);
      at = buffer.writeFloatLE(p.restLogProb, at);
      for (let k = 0; k < this.topK; k++) at = buffer.writeUInt32LE(p.topTokens[k] as number, at);
      for (let k = 0; k < this.topK; k++) at = buffer.writeFloatLE(p.topLogProbs[k] as number, at);
    }
    writeSync(this.fd, buffer, 0, buffer.length, this.position);
    this.position += buffer.length;
    this.written += positions.length;
  }

  get positionsWritten(): number {
    return this.written;
  }

  /** Writes the header, closes and moves the file into place; returns its size in bytes. */
  finish(header: ReferenceHeader): number {
    const json = Buffer.from(JSON.stringify(header), "utf8");
    if (16 + json.length > HEADER_BYTES) throw new Error(`reference header of ${json.length} bytes does not fit`);
    const head = Buffer.alloc(HEADER_BYTES, " ");
    head.write(REFERENCE_MAGIC, 0, "latin1");
    head.writeUInt32LE(REFERENCE_FORMAT_VERSION, 8);
    head.writeUInt32LE(json.length, 12);
    json.copy(head, 16);
    writeSync(this.fd, head, 0, head.length, 0);
    closeSync(this.fd);
    this.closed = true;
    renameSync(this.partial, this.path);
    return this.position;
  }

  /** Gives up: closes and removes the temporary file. */
  abandon(): void {
    if (!this.closed) closeSync(this.fd);
    this.closed = true;
    rmSync(this.partial, { force: true });
  }
}
