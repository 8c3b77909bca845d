import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { z } from "zod";
import { GgufBenchError } from "../errors.ts";
import {
  HEADER_BYTES,
  MAX_TOP_K,
  REFERENCE_FORMAT_VERSION,
  REFERENCE_MAGIC,
  type ReferenceHeader,
  recordBytes,
  referenceFileBytes,
} from "./referenceFile.ts";
import type { ReferencePosition } from "./scorePosition.ts";

const int = (max: number) => z.number().int().min(0).max(max);
const headerSchema = z.object({
  vocabSize: int(1 << 24).min(1),
  contextSize: int(1 << 24).min(4),
  chunks: int(1 << 24).min(1),
  firstScored: int(1 << 24),
  positionsPerChunk: int(1 << 24).min(1),
  topK: int(MAX_TOP_K).min(1),
  bosToken: int(1 << 24).nullable(),
  textTokens: int(1 << 30),
  tokenCount: int(1 << 30),
  model: z.object({
    file: z.string().max(8192),
    label: z.string().max(1024),
    fingerprint: z.string().max(128),
    vocabularyFingerprint: z.string().max(128),
  }),
  textSha256: z.string().max(128),
  perplexity: z.number(),
  perplexityStandardError: z.number().nullable(),
  meanRestMass: z.number(),
}) satisfies z.ZodType<ReferenceHeader>;

/** A reference file opened for reading: its header, its tokens, and its positions chunk by chunk. */
export interface ReferenceFile {
  header: ReferenceHeader;
  tokens: Int32Array;
  /** The scored positions of chunk `chunk` (0-based), in order. */
  readChunk(chunk: number): ReferencePosition[];
  close(): void;
}

/**
 * Opens a reference file written by ReferenceWriter. The file is checked like any untrusted input: magic,
 * version, a bounded header that must parse and agree with itself (positions per chunk, tokens, K ≤ vocabulary),
 * and a size equal to what the header implies. Throws GgufBenchError "bad-reference" naming the problem.
 */
export function readReferenceFile(path: string): ReferenceFile {
  const bad = (why: string) => new GgufBenchError("bad-reference", `${path}: not a usable reference file (${why})`);
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    throw bad((error as NodeJS.ErrnoException).code ?? String(error));
  }
  const read = (position: number, length: number) => {
    const buffer = Buffer.alloc(length);
    let done = 0;
    while (done < length) {
      const n = readSync(fd, buffer, done, length - done, position + done);
      if (n === 0) throw bad(`ends at byte ${position + done}`);
      done += n;
    }
    return buffer;
  };
  try {
    const size = fstatSync(fd).size;
    if (size < HEADER_BYTES) throw bad(`only ${size} bytes`);
    const head = read(0, HEADER_BYTES);
    if (head.toString("latin1", 0, 8) !== REFERENCE_MAGIC) throw bad("wrong magic bytes");
    const version = head.readUInt32LE(8);
    if (version !== REFERENCE_FORMAT_VERSION)
      throw bad(`format version ${version}, expected ${REFERENCE_FORMAT_VERSION}`);
    const jsonBytes = head.readUInt32LE(12);
    if (jsonBytes > HEADER_BYTES - 16) throw bad("header too long");
    let parsed: unknown;
    try {
      parsed = JSON.parse(head.toString("utf8", 16, 16 + jsonBytes));
    } catch {
      throw bad("header is not JSON");
    }
    const checked = headerSchema.safeParse(parsed);
    if (!checked.success) throw bad(`header: ${checked.error.issues[0]?.message ?? "invalid"}`);
    const header = checked.data;
    if (header.topK > header.vocabSize) throw bad("more kept tokens than the vocabulary has");
    if (header.firstScored !== Math.floor(header.contextSize / 2))
      throw bad("first scored position is not half the chunk");
    if (header.positionsPerChunk !== header.contextSize - 1 - header.firstScored) throw bad("positions per chunk");
    if (header.tokenCount !== header.chunks * header.contextSize) throw bad("token count is not chunks × context");
    if (header.textTokens < header.tokenCount) throw bad("fewer text tokens than kept tokens");
    if (size !== referenceFileBytes(header))
      throw bad(`${size} bytes, the header implies ${referenceFileBytes(header)}`);
    const raw = read(HEADER_BYTES, 4 * header.tokenCount);
    const tokens = new Int32Array(header.tokenCount);
    for (let i = 0; i < tokens.length; i++) {
      const token = raw.readInt32LE(4 * i);
      if (token < 0 || token >= header.vocabSize) throw bad(`token ${token} at ${i} is outside the vocabulary`);
      tokens[i] = token;
    }
    const positionsStart = HEADER_BYTES + 4 * header.tokenCount;
    const size1 = recordBytes(header.topK);
    return {
      header,
      tokens,
      readChunk(chunk: number): ReferencePosition[] {
        if (!(chunk >= 0 && chunk < header.chunks)) throw new RangeError(`chunk ${chunk} of ${header.chunks}`);
        const n = header.positionsPerChunk;
        const buffer = read(positionsStart + chunk * n * size1, n * size1);
        const positions: ReferencePosition[] = [];
        for (let p = 0; p < n; p++) {
          let at = p * size1;
          const nextTokenLogProb = buffer.readFloatLE(at);
          const restLogProb = buffer.readFloatLE(at + 4);
          at += 8;
          const topTokens = new Uint32Array(header.topK);
          const topLogProbs = new Float32Array(header.topK);
          for (let k = 0; k < header.topK; k++)
            topTokens[k] = Math.min(buffer.readUInt32LE(at + 4 * k), header.vocabSize - 1);
          at += 4 * header.topK;
          for (let k = 0; k < header.topK; k++) topLogProbs[k] = buffer.readFloatLE(at + 4 * k);
          positions.push({ topTokens, topLogProbs, restLogProb, nextTokenLogProb });
        }
        return positions;
      },
      close: () => closeSync(fd),
    };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}
