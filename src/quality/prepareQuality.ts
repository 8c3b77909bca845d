import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { UsageError } from "../errors.ts";
import { modelFingerprint } from "../gguf/fingerprint.ts";
import type { QualityConfig } from "../results/types.ts";
import { DEFAULT_QUALITY_TEXT } from "./defaultQualityText.ts";
import { vocabularyFingerprint } from "./vocabularyFingerprint.ts";

/** A quality text larger than this is refused: it would take hours per model and an unbounded reference file. */
export const MAX_QUALITY_TEXT_BYTES = 64 * 1024 * 1024;
/** Names inside the output folder. */
export const QUALITY_TEXT_FILE = "quality-text.txt";
export const REFERENCE_DISTRIBUTIONS_FILE = "quality-reference.bin";

/** What `run --quality` asked for, as parsed from the command line. */
export interface QualityRequest {
  /** --quality-text, or null for the built-in text. */
  textFile: string | null;
  contextSize: number;
  /** --reference, or null for perplexity only. */
  reference: string | null;
  maxKldNats: number;
}

/** Everything the suite needs for the quality stage, checked before any process starts. */
export interface QualitySetup {
  config: QualityConfig;
  /** The text to write into the output folder as QUALITY_TEXT_FILE. */
  text: string;
  /** The reference's tokenizer fingerprint, to compare each model's with; null without a reference. */
  referenceVocabulary: { tokens: number; fingerprint: string } | null;
}

/**
 * Reads the quality text (the built-in one, or --quality-text: at most MAX_QUALITY_TEXT_BYTES of valid UTF-8) and
 * the reference's GGUF header (fingerprint, tokenizer). Usage errors name the flag: a missing or unreadable file, a
 * text that is empty or not UTF-8, a reference that is not a GGUF file or has no tokenizer.
 */
export async function prepareQuality(request: QualityRequest): Promise<QualitySetup> {
  let text = DEFAULT_QUALITY_TEXT;
  if (request.textFile !== null) text = await readText(request.textFile);
  const config: QualityConfig = {
    textSource: request.textFile ?? "built-in",
    textSha256: createHash("sha256").update(text).digest("hex"),
    textCharacters: text.length,
    textFile: QUALITY_TEXT_FILE,
    contextSize: request.contextSize,
    maxKldNats: request.maxKldNats,
    reference: null,
  };
  if (request.reference === null) return { config, text, referenceVocabulary: null };
  const file = request.reference;
  let vocabulary: Awaited<ReturnType<typeof vocabularyFingerprint>>;
  let fingerprint: string;
  try {
    vocabulary = await vocabularyFingerprint(file);
    fingerprint = await modelFingerprint(file);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // The GGUF reader's messages already start with the file name.
    throw new UsageError(`--reference ${message.startsWith(`${file}: `) ? message : `${file}: ${message}`}`);
  }
  if (vocabulary === null)
    throw new UsageError(`--reference ${file}: the model has no tokenizer.ggml.tokens, so no vocabulary to compare`);
  config.reference = {
    file,
    label: path.basename(file),
    fingerprint,
    distributionsFile: REFERENCE_DISTRIBUTIONS_FILE,
    outcome: null,
  };
  return { config, text, referenceVocabulary: vocabulary };
}

async function readText(file: string): Promise<string> {
  const fail = (why: string) => new UsageError(`--quality-text ${file}: ${why}`);
  const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
    throw fail(`cannot read it (${error.code ?? error.message})`);
  });
  if (!info.isFile()) throw fail("is not a regular file");
  if (info.size > MAX_QUALITY_TEXT_BYTES) throw fail(`${info.size} bytes; at most ${MAX_QUALITY_TEXT_BYTES} are read`);
  const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
    throw fail(`cannot read it (${error.code ?? error.message})`);
  });
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw fail("is not UTF-8 text");
  }
  if (text.trim() === "") throw fail("is empty");
  return text;
}
