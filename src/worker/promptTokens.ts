import type { LlamaModel, Token } from "node-llama-cpp";

/** The BOS token when the model wants one in front of a prompt (as llama.cpp's own tools add it), else none. */
export function bosPrefix(model: LlamaModel): Token[] {
  const bos = model.tokens.bos;
  return bos !== null && model.tokens.shouldPrependBosToken ? [bos] : [];
}

/** A text prompt as the model's own tokens, BOS first when the model wants it. */
export function promptTokens(model: LlamaModel, text: string): Token[] {
  return [...bosPrefix(model), ...model.tokenize(text)];
}
