import assert from "node:assert/strict";
import { test } from "node:test";
import type { LlamaContextSequence, Token } from "node-llama-cpp";
import { GgufBenchError } from "../../src/errors.ts";
import { rateNotMeasuredReason, requestMetrics } from "../../src/metrics/requestMetrics.ts";
import { timedGeneration, tokensPerSecond } from "../../src/worker/timedGeneration.ts";

/**
 * Stands in for node-llama-cpp's sequence: `evaluate` decodes its input (advancing nextTokenIndex), yields a
 * token, and on the next step decodes that token, as LlamaContextSequence does. `shiftAfter` simulates its
 * context shift (erasing the oldest tokens) once the window is full.
 */
function fakeSequence(contextSize: number, options: { startIndex?: number; shiftBy?: number } = {}) {
  const sequence = {
    contextSize,
    nextTokenIndex: options.startIndex ?? 0,
    evaluatedInputs: [] as number[][],
    async *evaluate(tokens: Token[]): AsyncGenerator<Token, void, void> {
      let input: number[] = tokens;
      for (let token = 100; ; token++) {
        sequence.evaluatedInputs.push(input);
        sequence.nextTokenIndex += input.length;
        if (sequence.nextTokenIndex >= contextSize && options.shiftBy) sequence.nextTokenIndex -= options.shiftBy;
        yield token as Token;
        input = [token];
      }
    },
  };
  return sequence;
}

const asSequence = (fake: ReturnType<typeof fakeSequence>) => fake as unknown as LlamaContextSequence;
const prompt = (length: number) => () => Array.from({ length }, (_, i) => i as Token);

test("counts prompt and output tokens from the engine and decodes outputTokens − 1 generated tokens", async () => {
  const fake = fakeSequence(64);
  const timing = await timedGeneration(asSequence(fake), prompt(10), { maxTokens: 5, seed: 1 });
  assert.equal(timing.promptTokens, 10);
  assert.equal(timing.outputTokens, 5);
  assert.deepEqual(
    fake.evaluatedInputs.map((input) => input.length),
    [10, 1, 1, 1, 1],
  );
  assert.equal(fake.nextTokenIndex, 14, "the last sampled token is not decoded");
  assert.ok(timing.ttftMs >= timing.promptMs && timing.totalMs >= timing.generationMs);
});

test("a run that cannot fit is refused before any decode", async () => {
  const fake = fakeSequence(16);
  await assert.rejects(
    timedGeneration(asSequence(fake), prompt(10), { maxTokens: 8, seed: 1 }),
    (error: unknown) => error instanceof GgufBenchError && error.code === "context-overflow",
  );
  assert.equal(fake.evaluatedInputs.length, 0);
  // 10 + 7 decoded = 17 cells: exactly one too many; 10 + 6 = 16 fits.
  await timedGeneration(asSequence(fakeSequence(16)), prompt(10), { maxTokens: 7, seed: 1 });
});

test("a context shift during the run is caught as context-overflow", async () => {
  const fake = fakeSequence(16, { shiftBy: 4 });
  await assert.rejects(
    timedGeneration(asSequence(fake), prompt(10), { maxTokens: 7, seed: 1 }),
    (error: unknown) => error instanceof GgufBenchError && error.code === "context-overflow",
  );
});

test("a sequence that still holds tokens is refused: every run starts from an empty KV cache", async () => {
  await assert.rejects(
    timedGeneration(asSequence(fakeSequence(64, { startIndex: 3 })), prompt(4), { maxTokens: 2, seed: 1 }),
    (error: unknown) => error instanceof GgufBenchError && error.code === "kv-not-empty",
  );
});

test("tokens per second: null (not measured, never 0) for no token or an empty span, with the reason", () => {
  assert.equal(tokensPerSecond(15, 30), 500);
  assert.equal(tokensPerSecond(0, 30), null);
  assert.equal(tokensPerSecond(5, 0), null);
  assert.equal(rateNotMeasuredReason(15, 30), null);
  assert.match(rateNotMeasuredReason(0, 30) ?? "", /no token to time/);
  assert.match(rateNotMeasuredReason(5, 0) ?? "", /arrived at once.*0 ms cannot be timed/);
  // Every token in one chunk: first token = last token; ITL and E2E stay as measured, the speed is null.
  const m = requestMetrics({
    requestStartMs: 0,
    promptSentMs: 1,
    firstTokenMs: 41,
    lastTokenMs: 41,
    promptTokens: 20,
    outputTokens: 10,
  });
  assert.equal(m.generationMs, 0);
  assert.equal(m.generationTokensPerSecond, null);
  assert.equal(m.promptTokensPerSecond, 500);
  assert.equal(m.totalMs, 41);
});
