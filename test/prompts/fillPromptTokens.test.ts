import assert from "node:assert/strict";
import { test } from "node:test";
import { FILLER_PARAGRAPHS } from "../../src/prompts/fillerText.ts";
import { fillPromptTokens, fillPromptTokensAsync } from "../../src/prompts/fillPromptTokens.ts";
import { STANDARD_PROMPTS } from "../../src/prompts/standardPrompts.ts";

/** A stand-in tokenizer: one token per character (its char code), so expected tokens are easy to write. */
const charTokenizer = (text: string) => Array.from(text, (char) => char.codePointAt(0) ?? 0);

test("the prompt has exactly the target length, prefix first, then the filler prose from its start", () => {
  const prompt = fillPromptTokens({ tokenize: charTokenizer, targetTokens: 10, prefix: [1] });
  assert.equal(prompt.length, 10);
  assert.deepEqual(prompt, [1, ...charTokenizer((FILLER_PARAGRAPHS[0] ?? "").slice(0, 9))]);
});

test("a window larger than all the prose repeats it, separated by blank lines", () => {
  const cycle = FILLER_PARAGRAPHS.join("\n\n");
  const target = cycle.length * 2 + 7;
  const prompt = fillPromptTokens({ tokenize: charTokenizer, targetTokens: target });
  assert.equal(prompt.length, target);
  assert.deepEqual(prompt, charTokenizer(`${cycle}\n\n${cycle}\n\n${cycle}`).slice(0, target));
});

test("a target equal to the prefix returns the prefix; a smaller one is refused", () => {
  assert.deepEqual(fillPromptTokens({ tokenize: charTokenizer, targetTokens: 2, prefix: [1, 2] }), [1, 2]);
  assert.throws(() => fillPromptTokens({ tokenize: charTokenizer, targetTokens: 1, prefix: [1, 2] }), RangeError);
  assert.throws(() => fillPromptTokens({ tokenize: () => [], targetTokens: 5 }), /no tokens/);
});

test("the three standard prompts: stable ids, distinct, non-trivial text", () => {
  assert.deepEqual(
    STANDARD_PROMPTS.map((prompt) => prompt.id),
    ["capability-summary", "technical-explanation", "creative-writing"],
  );
  for (const prompt of STANDARD_PROMPTS) assert.ok(prompt.text.split(" ").length >= 25, prompt.id);
});

test("the asynchronous variant (a server's /tokenize) builds the very same prompt", async () => {
  const asyncTokenizer = async (text: string) => charTokenizer(text);
  for (const target of [1, 10, 5000]) {
    const sync = fillPromptTokens({ tokenize: charTokenizer, targetTokens: target, prefix: [1] });
    const viaServer = await fillPromptTokensAsync({ tokenize: asyncTokenizer, targetTokens: target, prefix: [1] });
    assert.deepEqual(viaServer, sync);
  }
  await assert.rejects(
    fillPromptTokensAsync({ tokenize: asyncTokenizer, targetTokens: 1, prefix: [1, 2] }),
    RangeError,
  );
});
