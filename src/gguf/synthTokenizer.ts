import { UsageError } from "../errors.ts";
import type { GgufValue } from "./ggufValue.ts";

/**
 * Which tokenizer `synth` writes: SentencePiece ("llama", the default, no merges) or byte-level BPE ("gpt2", as
 * llama 3, qwen2/2.5/3, gpt-oss and mistral-nemo ship) with `merges` merges (default: one per word piece, as real
 * BPE vocabularies have about one merge per token).
 */
export type SynthTokenizerChoice = { kind: "spm" } | { kind: "bpe"; merges?: number };

const SPACE = "\u2581"; // SentencePiece's word-start marker "▁"

const COMMON_WORDS = (
  "the of and to in is was for on that with as by at it from be this an are or his which had not but were " +
  "have one all their has more her they there been when who will no if out so said what up its about into than " +
  "them can only other new some time could these two may first then do any like my now over such our man me even " +
  "most made after also did many before must through back years where much your way well down should because each " +
  "just those people how too little state good very make world still own see men work long get here between both " +
  "life being under never day same another know while last might us great old year off come since against go came " +
  "right used take three hello once upon a story model bench token speed memory test"
).split(" ");

const LETTERS = "abcdefghijklmnopqrstuvwxyz";

/** Word pieces in the order they are added; enough unique ones for any vocabulary up to ~1M. */
function* wordPieces(): Generator<string> {
  yield SPACE;
  for (const ch of `${LETTERS}${LETTERS.toUpperCase()}0123456789.,!?'"-:;()`) {
    yield ch;
    yield SPACE + ch;
  }
  for (const word of COMMON_WORDS) if (word.length > 1) yield SPACE + word;
  for (let length = 2; length <= 4; length++) {
    for (const piece of combinations(length)) {
      yield SPACE + piece;
      yield piece;
    }
  }
}

function* combinations(length: number): Generator<string> {
  const total = LETTERS.length ** length;
  for (let n = 0; n < total; n++) {
    let piece = "";
    for (let i = 0, rest = n; i < length; i++, rest = Math.floor(rest / LETTERS.length)) {
      piece = LETTERS[rest % LETTERS.length] + piece;
    }
    yield piece;
  }
}

// llama.cpp token types (llama_token_type)
const NORMAL = 1;
const UNKNOWN = 2;
const CONTROL = 3;
const BYTE = 6;

/**
 * A SentencePiece ("llama") vocabulary of `size` tokens that llama.cpp accepts: <unk>, <s>, </s>, the 256 byte
 * fallback tokens (so any text tokenizes), `controlTokens` (special tokens a family's loader looks up by name,
 * e.g. Phi-3's <|endoftext|>), then word pieces with falling scores (so common merges win).
 */
export function synthTokenizer(size: number, controlTokens: readonly string[] = []): [string, GgufValue][] {
  const tokens: string[] = ["<unk>", "<s>", "</s>"];
  const types: number[] = [UNKNOWN, CONTROL, CONTROL];
  const scores: number[] = [0, 0, 0];
  for (let byte = 0; byte < 256 && tokens.length < size; byte++) {
    tokens.push(`<0x${byte.toString(16).toUpperCase().padStart(2, "0")}>`);
    types.push(BYTE);
    scores.push(0);
  }
  for (const token of controlTokens) {
    if (tokens.length >= size) break;
    tokens.push(token);
    types.push(CONTROL);
    scores.push(0);
  }
  const seen = new Set(tokens);
  for (const piece of wordPieces()) {
    if (tokens.length >= size) break;
    if (seen.has(piece)) continue;
    seen.add(piece);
    scores.push(-tokens.length);
    tokens.push(piece);
    types.push(NORMAL);
  }
  return [
    ["tokenizer.ggml.model", { type: "string", value: "llama" }],
    ["tokenizer.ggml.tokens", { type: "array", itemType: "string", items: tokens }],
    ["tokenizer.ggml.scores", { type: "array", itemType: "f32", items: scores }],
    ["tokenizer.ggml.token_type", { type: "array", itemType: "i32", items: types }],
    ["tokenizer.ggml.unknown_token_id", { type: "u32", value: 0 }],
    ["tokenizer.ggml.bos_token_id", { type: "u32", value: 1 }],
    ["tokenizer.ggml.eos_token_id", { type: "u32", value: 2 }],
    ["tokenizer.ggml.add_bos_token", { type: "bool", value: true }],
    ["tokenizer.ggml.add_eos_token", { type: "bool", value: false }],
  ];
}

/**
 * GPT-2's bytes_to_unicode (openai/gpt-2 src/encoder.py, used by every byte-level BPE tokenizer): the printable
 * Latin-1 bytes stand for themselves, the other 68 are mapped in byte order to U+0100 onward (so space is "Ġ",
 * U+0120). llama.cpp's unicode_byte_to_utf8 is the same table; its BPE byte_to_token looks byte tokens up by it.
 */
function byteToUnicode(): string[] {
  const chars: string[] = [];
  for (let byte = 0, shifted = 0; byte < 256; byte++) {
    const printable =
      (byte >= 0x21 && byte <= 0x7e) || (byte >= 0xa1 && byte <= 0xac) || (byte >= 0xae && byte <= 0xff);
    chars.push(String.fromCodePoint(printable ? byte : 256 + shifted++));
  }
  return chars;
}

const BPE_SPACE = "\u0120"; // "Ġ", the byte-level form of a space

/** BPE word pieces of two or more code points, shortest first: "Ġa", "Ġb", …, "Ġaa", "aa", "Ġab", "ab", … */
function* bpeWordPieces(): Generator<string> {
  for (let length = 1; ; length++) {
    for (const piece of combinations(length)) {
      yield BPE_SPACE + piece;
      if (length > 1) yield piece;
    }
  }
}

/**
 * A byte-level BPE ("gpt2") vocabulary of `size` tokens with `merges` merges (default: one per word piece) that
 * llama.cpp loads (src/llama-vocab.cpp, load): the 256 byte tokens in GPT-2's byte-to-unicode form (so any text
 * tokenizes), word pieces of lower-case letters with and without a leading "Ġ", shortest first, then BOS, EOS and
 * `controlTokens` as control tokens at the end, as llama 3 and qwen2 place their special tokens.
 * Merge i is "prefix last" of word piece i: its prefix is a byte token or an earlier piece, so every merge joins
 * two tokens into a token. (llama.cpp applies any listed merge and only then looks the result up; a piece missing
 * from the vocabulary is split into its raw bytes, and those without a token of their own — every byte outside
 * printable ASCII, e.g. the two of "Ġ" — are dropped silently.)
 * llama.cpp refuses a "gpt2" file without `tokenizer.ggml.merges` ("cannot find tokenizer merges") and, when
 * `tokenizer.ggml.pre` is missing, warns and uses its default regex; `preTokenizer` names the split to use
 * ("llama-bpe": llama 3's, which also takes a whole word that is a token as is; "qwen2"; "gpt-4o").
 * Byte tokens and word pieces are NORMAL (type 1) as in converted files; the special ones CONTROL (3).
 * UsageError when `merges` is negative or more than the word pieces (size − 256 − 2 − controlTokens) that can
 * carry one merge each, or when `size` has no room for the byte and control tokens.
 */
export function synthBpeTokenizer(
  size: number,
  merges: number | undefined,
  controlTokens: readonly string[] = [],
  preTokenizer = "llama-bpe",
): [string, GgufValue][] {
  const special = ["<|begin_of_text|>", "<|end_of_text|>", ...controlTokens];
  const pieceCount = size - 256 - special.length;
  if (pieceCount < 0)
    throw new UsageError(`a BPE vocabulary needs at least ${256 + special.length} tokens, got ${size}`);
  const mergeCount = merges ?? pieceCount;
  if (!Number.isSafeInteger(mergeCount) || mergeCount < 0) throw new UsageError("--merges must be an integer >= 0");
  if (mergeCount > pieceCount) {
    throw new UsageError(
      `--merges ${mergeCount} is more than the ${pieceCount} word pieces of a ${size}-token BPE vocabulary ` +
        `(${size} - 256 byte tokens - ${special.length} control tokens) that can carry one merge each`,
    );
  }
  const tokens = byteToUnicode();
  const mergeList: string[] = [];
  const pieces = bpeWordPieces();
  while (tokens.length < size - special.length) {
    const piece = pieces.next().value as string;
    const points = [...piece];
    if (mergeList.length < mergeCount) mergeList.push(`${points.slice(0, -1).join("")} ${points.at(-1)}`);
    tokens.push(piece);
  }
  const bos = tokens.length;
  tokens.push(...special);
  const types = tokens.map((_, i) => (i >= bos ? CONTROL : NORMAL));
  return [
    ["tokenizer.ggml.model", { type: "string", value: "gpt2" }],
    ["tokenizer.ggml.pre", { type: "string", value: preTokenizer }],
    ["tokenizer.ggml.tokens", { type: "array", itemType: "string", items: tokens }],
    ["tokenizer.ggml.token_type", { type: "array", itemType: "i32", items: types }],
    ["tokenizer.ggml.merges", { type: "array", itemType: "string", items: mergeList }],
    ["tokenizer.ggml.bos_token_id", { type: "u32", value: bos }],
    ["tokenizer.ggml.eos_token_id", { type: "u32", value: bos + 1 }],
    ["tokenizer.ggml.add_bos_token", { type: "bool", value: true }],
    ["tokenizer.ggml.add_eos_token", { type: "bool", value: false }],
  ];
}
