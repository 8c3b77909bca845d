import { FILLER_PARAGRAPHS } from "./fillerText.ts";

export interface FillPromptOptions {
  /** The model's own tokenizer (text -> token ids, no BOS added). */
  tokenize: (text: string) => readonly number[];
  /** Exact length of the returned prompt, prefix included. */
  targetTokens: number;
  /** Tokens the prompt starts with, e.g. the model's BOS token. */
  prefix?: readonly number[];
}

/**
 * A prompt of exactly `targetTokens` tokens: `prefix` followed by project prose. The prose is repeated as
 * often as needed, tokenised in one piece (so token boundaries are the ones the model would really see)
 * and cut at the token level, which is what makes the length exact.
 */
export function fillPromptTokens({ tokenize, targetTokens, prefix = [] }: FillPromptOptions): number[] {
  if (!Number.isInteger(targetTokens) || targetTokens < prefix.length)
    throw new RangeError(`cannot fill a prompt of ${targetTokens} tokens after a ${prefix.length}-token prefix`);
  const needed = targetTokens - prefix.length;
  if (needed === 0) return [...prefix];
  const cycle = FILLER_PARAGRAPHS.join("\n\n");
  const tokensPerCycle = tokenize(cycle).length;
  if (tokensPerCycle === 0) throw new RangeError("the tokenizer produced no tokens for the filler text");
  // One cycle more than the estimate: joining cycles can merge tokens at the seams.
  const cycles = Math.ceil(needed / tokensPerCycle) + 1;
  const body = tokenize(Array.from({ length: cycles }, () => cycle).join("\n\n"));
  if (body.length < needed) throw new RangeError(`filler text gave ${body.length} tokens, ${needed} needed`);
  return [...prefix, ...body.slice(0, needed)];
}
