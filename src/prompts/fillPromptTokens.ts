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
  const tokensPerCycle = tokenize(FILLER_CYCLE).length;
  const body = tokenize(fillerBody(needed, tokensPerCycle));
  if (body.length < needed) throw new RangeError(`filler text gave ${body.length} tokens, ${needed} needed`);
  return [...prefix, ...body.slice(0, needed)];
}

/** All the filler prose once; fillPromptTokens tokenises it first to size the body. */
const FILLER_CYCLE = FILLER_PARAGRAPHS.join("\n\n");

/** The text tokenised for the body: enough cycles of the prose for `needed` tokens. */
function fillerBody(needed: number, tokensPerCycle: number): string {
  if (tokensPerCycle === 0) throw new RangeError("the tokenizer produced no tokens for the filler text");
  // One cycle more than the estimate: joining cycles can merge tokens at the seams.
  const cycles = Math.ceil(needed / tokensPerCycle) + 1;
  return Array.from({ length: cycles }, () => FILLER_CYCLE).join("\n\n");
}

/**
 * fillPromptTokens with a tokenizer that answers asynchronously (a server's /tokenize): the same two texts are
 * tokenised, so the prompt is token for token the one the in-process engine builds.
 */
export async function fillPromptTokensAsync(options: {
  tokenize: (text: string) => Promise<readonly number[]>;
  targetTokens: number;
  prefix?: readonly number[];
}): Promise<number[]> {
  const { targetTokens, prefix = [] } = options;
  const needed = targetTokens - prefix.length;
  if (!Number.isInteger(targetTokens) || needed <= 0) return fillPromptTokens({ ...options, tokenize: () => [] });
  const cycleTokens = await options.tokenize(FILLER_CYCLE);
  const bodyText = fillerBody(needed, cycleTokens.length);
  const known = new Map([
    [FILLER_CYCLE, cycleTokens],
    [bodyText, await options.tokenize(bodyText)],
  ]);
  return fillPromptTokens({ tokenize: (text) => known.get(text) ?? [], targetTokens, prefix });
}
