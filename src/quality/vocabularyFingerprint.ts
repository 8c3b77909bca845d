import { createHash } from "node:crypto";
import { readGgufFile } from "../gguf/readGgufFile.ts";

/**
 * sha256 of a model's tokenizer (tokenizer.ggml.model and the token strings in order) with the token count, from
 * the GGUF header alone: two models can be compared token by token (KL divergence) only when these are equal.
 * Null when the file has no token list.
 */
export async function vocabularyFingerprint(file: string): Promise<{ tokens: number; fingerprint: string } | null> {
  const { metadata } = await readGgufFile(file);
  const tokens = metadata.get("tokenizer.ggml.tokens");
  if (tokens?.type !== "array" || tokens.itemType !== "string") return null;
  const model = metadata.get("tokenizer.ggml.model");
  const hash = createHash("sha256");
  hash.update(model?.type === "string" ? model.value : "");
  for (const token of tokens.items) hash.update(`\0${String(token)}`);
  return { tokens: tokens.items.length, fingerprint: hash.digest("hex") };
}
