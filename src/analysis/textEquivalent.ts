/**
 * Rough text equivalents of a token count. Assumptions, stated in every report that uses them: English prose
 * averages about 0.75 words per token with BPE tokenizers, and a printed page holds about 500 words.
 */
export const WORDS_PER_TOKEN = 0.75;
export const WORDS_PER_PAGE = 500;

export function textEquivalent(tokens: number): { words: number; pages: number } {
  const words = tokens * WORDS_PER_TOKEN;
  return { words, pages: words / WORDS_PER_PAGE };
}
