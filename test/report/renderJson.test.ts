import assert from "node:assert/strict";
import { test } from "node:test";
import { renderJson } from "../../src/report/renderJson.ts";
import { SCHEMA_VERSION } from "../../src/results/types.ts";
import { fixtureRuns } from "./reportFixtures.ts";

test("JSON: the results plus the analysis, with the schema version", () => {
  const runs = fixtureRuns();
  const report = JSON.parse(renderJson(runs));
  assert.equal(report.schemaVersion, SCHEMA_VERSION);
  assert.deepEqual(report.runs, runs);
  assert.equal(report.analysis.cases.length, 7);
  assert.deepEqual(report.analysis.varied, ["threads"]);
  const gemma = report.analysis.cases.find((c: { caseId: string }) => c.caseId.startsWith("gemma"));
  assert.equal(gemma.memoryFit.kind, "none");
  const llama = report.analysis.cases[0];
  assert.equal(llama.memoryFit.kind, "fit");
  assert.equal(llama.memoryFit.n, 5);
  assert.equal(llama.memoryFit.predictedKvBytesPerToken, 32_768);
  assert.deepEqual(
    report.analysis.recommendations.map((r: { useCase: { id: string }; choice: { caseId: string } | null }) => [
      r.useCase.id,
      r.choice?.caseId ?? null,
    ]),
    [
      ["short", "evil-model<i>&x</i>.gguf#1"],
      ["medium", "synthetic-moe-4x-q8_0#1"],
      ["long", "Llama-3.2-1B-Instruct-Q4_0.gguf#1"],
      ["very-long", null],
    ],
  );
  assert.ok(Array.isArray(report.analysis.bestSettings));
  assert.ok(Array.isArray(llama.roofline));
});
