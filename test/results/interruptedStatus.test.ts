import assert from "node:assert/strict";
import { test } from "node:test";
import { compareRuns } from "../../src/compare/compareRuns.ts";
import { findLostCases } from "../../src/compare/findLostCases.ts";
import { renderJson } from "../../src/report/renderJson.ts";
import { renderMarkdown } from "../../src/report/renderMarkdown.ts";
import { caseStatus } from "../../src/results/caseStatus.ts";
import type { ModelResult, RunResults } from "../../src/results/types.ts";
import { validateRunResults } from "../../src/results/validateRunResults.ts";
import { trendPoints } from "../../src/serve/trendPoints.ts";
import { openStore } from "../../src/store/resultStore.ts";
import { runSummaryLine } from "../../src/suite/describeFailure.ts";
import { testBothStores } from "../helpers/dbBackends.ts";
import { buildRun } from "../helpers/resultsBuilder.ts";

const STOP = {
  stage: "inference" as const,
  code: "interrupted",
  message: "interrupted (Ctrl-C or a stop signal) during inference: 3 prompts",
};

/**
 * A run of two models whose second case a stop cut short during inference (its load kept), as gguf-bench writes it
 * since 2026-12-01 (`status`: "interrupted") or as older builds did (`status`: "partial", the stop's error charged).
 */
function stoppedRun(recorded: ModelResult["status"], fingerprint = "fp-cut"): RunResults {
  const run = buildRun({
    interrupted: true,
    models: [{ label: "kept.gguf" }, { label: "cut.gguf", fingerprint }],
  });
  const cut = run.models[1] as ModelResult;
  cut.status = recorded;
  cut.inference = null;
  cut.process = { ...cut.process, outcome: "interrupted", exitCode: null, signal: "SIGKILL" };
  cut.errors = [STOP];
  return validateRunResults(JSON.parse(JSON.stringify(run)), "results.json");
}

for (const recorded of ["interrupted", "partial", "failed"] as const) {
  test(`a case cut short by a stop (recorded "${recorded}") reads as interrupted, not as a failure`, () => {
    const run = stoppedRun(recorded);
    assert.equal(caseStatus(run.models[1] as ModelResult), "interrupted");
    const markdown = renderMarkdown([run]);
    assert.match(markdown, /: 1 ok, 0 partial, 0 failed, 1 cut short by a stop\./);
    assert.match(markdown, /\| interrupted during inference \(finished stages kept\)\s*\|/);
    assert.match(markdown, /status interrupted; process interrupted/);
    assert.match(runSummaryLine(run, "out", false), /^interrupted: 2 result\(s\), 0 failed, 1 cut short by the stop;/);
    const reportJson = JSON.parse(renderJson([run])) as { analysis: { cases: { status: string }[] } };
    assert.deepEqual(
      reportJson.analysis.cases.map((c) => c.status),
      ["ok", "interrupted"],
    );
  });
}

test("compare: a stopped case is named as stopped, and lost as interrupted (not failed) against an ok baseline", () => {
  const baseline = buildRun({ models: [{ label: "kept.gguf" }, { label: "cut.gguf", fingerprint: "fp-cut" }] });
  for (const recorded of ["interrupted", "failed"] as const) {
    const stopped = stoppedRun(recorded);
    const comparison = compareRuns(baseline, stopped);
    const pair = comparison.models.find((m) => m.b.label === "cut.gguf");
    assert.equal(pair?.b.status, "interrupted");
    assert.ok(
      pair?.warnings.some(
        (w) => w.message === "in run B a stop (Ctrl-C or a stop signal) cut this case short during inference",
      ),
      JSON.stringify(pair?.warnings),
    );
    assert.deepEqual(
      findLostCases(baseline, stopped).map((l) => l.why),
      [`interrupted (inference: ${STOP.message}), was ok`],
    );
  }
});

testBothStores(
  "the history store keeps a stopped case's status as interrupted, older files included",
  async (backend) => {
    const db = await backend.fresh("interrupted-status");
    const store = await openStore(db);
    try {
      for (const [recorded, fingerprint] of [
        ["interrupted", "fp-new"],
        ["failed", "fp-old"],
      ] as const) {
        const run = stoppedRun(recorded, fingerprint);
        await store.importRun(run);
        const [listed] = (await store.listRuns()).filter((r) => r.runId === run.runId);
        assert.equal(listed?.status, "interrupted");
        const points = trendPoints(await store.modelHistory(fingerprint, 10));
        assert.deepEqual(
          points.map((p) => p.status),
          ["interrupted"],
        );
      }
    } finally {
      await store.close();
    }
  },
);
