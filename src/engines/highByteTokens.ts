import { readGgufFile } from "../gguf/readGgufFile.ts";

/** llama.cpp's token type of a byte-fallback token (llama_token_type LLAMA_TOKEN_TYPE_BYTE). */
const BYTE_TOKEN_TYPE = 6;

/**
 * The byte-fallback tokens of bytes 0x80–0xFF (`<0x80>` … `<0xFF>`) in a model's vocabulary. Random weights emit
 * them alone, which is not UTF-8, and llama-server's output parser then fails the request with HTTP 500 "does
 * not match the expected Content-only format" (streamed or not), cutting the generation short. For synthesised
 * models only, these tokens are kept out of sampling (logit bias): the work per token is unchanged. Empty when the
 * vocabulary has none or cannot be read.
 */
export async function highByteTokens(file: string): Promise<number[]> {
  try {
    const { metadata } = await readGgufFile(file);
    const tokens = metadata.get("tokenizer.ggml.tokens");
    const types = metadata.get("tokenizer.ggml.token_type");
    if (tokens?.type !== "array" || types?.type !== "array") return [];
    const ids: number[] = [];
    for (let id = 0; id < tokens.items.length; id++) {
      if (types.items[id] !== BYTE_TOKEN_TYPE) continue;
      const match = /^<0x([89A-F][0-9A-F])>$/i.exec(String(tokens.items[id]));
      if (match) ids.push(id);
    }
    return ids;
  } catch {
    return [];
  }
}

/**
 * Whether a model has random weights: synthesised by this run (demo, what-if), or a file `gguf-bench synth` wrote
 * (its default name ends in "(random weights)").
 */
export function hasRandomWeights(synthetic: boolean, name: string | null): boolean {
  return synthetic || /\(random weights\)$/.test(name ?? "");
}
