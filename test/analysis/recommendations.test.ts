import assert from "node:assert/strict";
import { test } from "node:test";
import { analyzeRuns } from "../../src/analysis/caseAnalysis.ts";
import type { ModelResult, RunResults } from "../../src/results/types.ts";
import { okContext, readFixture } from "./fixtureModel.ts";

const GIB = 1024 ** 3;

test("fixtures: fastest eligible model per use case, failed and too-short models never chosen", () => {
  const analysis = analyzeRuns([readFixture("run-a.json")]);
  const byId = Object.fromEntries(analysis.recommendations.map((r) => [r.useCase.id, r]));
  // short (2K): evil-model (tiny, 2K training context) is by far the fastest; TinyLlama failed at 2048.
  assert.equal(byId.short?.choice?.caseId, "evil-model<i>&x</i>.gguf#1");
  assert.ok(
    byId.short?.rejected.some((r) => /TinyLlama/.test(r.name) && /context of 2,048 tokens failed/.test(r.reason)),
  );
  assert.ok(byId.short?.rejected.some((r) => /gemma/.test(r.name) && /did not run \(failed\)/.test(r.reason)));
  // medium (32K): the MoE (trained 32K) beats the 1B llama, and is labelled synthetic.
  assert.equal(byId.medium?.choice?.caseId, "synthetic-moe-4x-q8_0#1");
  assert.equal(byId.medium?.choice?.synthetic, true);
  assert.match(byId.medium?.reason ?? "", /synthetic model/);
  // long (128K): only the 1B llama is trained for 131,072 tokens.
  assert.equal(byId.long?.choice?.caseId, "Llama-3.2-1B-Instruct-Q4_0.gguf#1");
  assert.match(byId.long?.reason ?? "", /only eligible model/);
  // very long: none, with the reason.
  assert.equal(byId["very-long"]?.choice, null);
  assert.match(byId["very-long"]?.reason ?? "", /262,144 tokens/);
});

test("a model whose fitted memory at the target exceeds RAM is never recommended", () => {
  const run = readFixture("run-a.json");
  const big = structuredClone(run.models[0] as ModelResult);
  big.caseId = "big#1";
  big.label = "big.gguf";
  // 20 GiB base + 256 KiB per token: 22 GiB at 8K tokens, 28 GiB at 32K > 24 GiB.
  big.contexts = [4096, 8192].map((size) => okContext(size, 20 * GIB + 262_144 * size, size));
  big.inference = structuredClone(big.inference);
  if (big.inference) big.inference.summaries.generationTokensPerSecond.mean = 1000;
  const only: RunResults = { ...run, models: [big] };
  const rec = analyzeRuns([only]).recommendations;
  assert.equal(rec.find((r) => r.useCase.id === "short")?.choice?.caseId, "big#1");
  const medium = rec.find((r) => r.useCase.id === "medium");
  assert.equal(medium?.choice, null);
  assert.match(
    medium?.rejected[0]?.reason ?? "",
    /needs 28\.00 GiB at 32K \(extrapolated from 2 points over 4,096–8,192 tokens\) > 24\.00 GiB RAM/,
  );
});

test("merging two runs keeps every case and names them by the settings that varied", () => {
  const analysis = analyzeRuns([readFixture("run-a.json"), readFixture("run-b.json")]);
  assert.equal(analysis.cases.length, 7);
  assert.deepEqual(analysis.varied, ["threads"]);
  const names = analysis.cases.map((c) => c.name);
  assert.equal(new Set(names).size, 7);
  assert.ok(names.includes("Llama-3.2-1B-Instruct-Q4_0.gguf (threads 1)"));
  assert.ok(names.includes("synthetic-moe-4x-q8_0 (synthetic) (threads 2)"));
});

test("same label and settings twice: told apart by file within a run, by run across runs", () => {
  const run = readFixture("run-a.json");
  const first = structuredClone(run.models[0] as ModelResult);
  const copy = structuredClone(first);
  copy.file = "/other/folder/Llama-3.2-1B-Instruct-Q4_0.gguf";
  const names = analyzeRuns([{ ...run, models: [first, copy] }]).cases.map((c) => c.name);
  assert.deepEqual(names, [
    "Llama-3.2-1B-Instruct-Q4_0.gguf [/work/shared/models/Llama-3.2-1B-Instruct-Q4_0.gguf]",
    "Llama-3.2-1B-Instruct-Q4_0.gguf [/other/folder/Llama-3.2-1B-Instruct-Q4_0.gguf]",
  ]);
  const again = { ...run, runId: "c0ffee00-0000-4000-8000-00000000000c", models: [first] };
  const acrossRuns = analyzeRuns([{ ...run, models: [first] }, again]).cases.map((c) => c.name);
  assert.deepEqual(acrossRuns, [
    "Llama-3.2-1B-Instruct-Q4_0.gguf [run a1b2c3d4]",
    "Llama-3.2-1B-Instruct-Q4_0.gguf [run c0ffee00]",
  ]);
});
