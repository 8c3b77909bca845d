import type { GgufValue } from "./ggufValue.ts";

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
