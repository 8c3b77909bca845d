import { readFileSync } from "node:fs";
import type { ContextResult, ModelResult, RunResults } from "../../src/results/types.ts";

/** Reads a results fixture (JSON.parse directly: the validating loader belongs to the store engineer). */
export function readFixture(name: "run-a.json" | "run-b.json"): RunResults {
  return JSON.parse(readFileSync(new URL(`../fixtures/results/${name}`, import.meta.url), "utf8")) as RunResults;
}

/** A copy of the fixture's dense llama case with the given contexts, for exact-number tests. */
export function modelWithContexts(contexts: ContextResult[]): ModelResult {
  const model = structuredClone(readFixture("run-a.json").models[0] as ModelResult);
  model.contexts = contexts;
  return model;
}

export function okContext(contextSize: number, peakRssBytes: number, totalMs: number): ContextResult {
  return {
    contextSize,
    status: "ok",
    promptTokens: contextSize / 2,
    outputTokens: 64,
    promptMs: totalMs / 2,
    generationMs: totalMs / 2,
    totalMs,
    ttftMs: totalMs / 2 + 10,
    promptTokensPerSecond: 100,
    generationTokensPerSecond: 10,
    afterCreateRssBytes: peakRssBytes - 1000,
    peakRssBytes,
    endRssBytes: peakRssBytes - 500,
  };
}
