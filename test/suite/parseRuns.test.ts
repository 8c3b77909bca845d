import assert from "node:assert/strict";
import { test } from "node:test";
import { UsageError } from "../../src/errors.ts";
import { RUN_DEFAULTS } from "../../src/suite/defaults.ts";
import { parseRuns } from "../../src/suite/parseRuns.ts";

test("--runs defaults to auto: at least 3 runs, ±5% target, 10 runs or 60 s at most", () => {
  assert.deepEqual(parseRuns({}, RUN_DEFAULTS), {
    runs: 3,
    autoRuns: { targetCiFraction: 0.05, maxRuns: 10, timeBudgetMs: 60_000 },
  });
  assert.deepEqual(parseRuns({ runs: "AUTO", targetCi: "2.5%", maxRuns: "20", maxRunsTime: "30" }, RUN_DEFAULTS), {
    runs: 3,
    autoRuns: { targetCiFraction: 0.025, maxRuns: 20, timeBudgetMs: 30_000 },
  });
});

test("--runs N is exactly N runs; the auto-only flags beside it are usage errors, not silently ignored", () => {
  assert.deepEqual(parseRuns({ runs: "5" }, RUN_DEFAULTS), { runs: 5, autoRuns: null });
  assert.throws(() => parseRuns({ runs: "5", targetCi: "2" }, RUN_DEFAULTS), UsageError);
  assert.throws(() => parseRuns({ runs: "5", maxRuns: "9" }, RUN_DEFAULTS), /--max-runs applies to --runs auto only/);
});

test("bad values name their flag", () => {
  assert.throws(() => parseRuns({ runs: "sometimes" }, RUN_DEFAULTS), /--runs must be auto or an integer from 1/);
  assert.throws(() => parseRuns({ targetCi: "0" }, RUN_DEFAULTS), /--target-ci must be a percentage/);
  assert.throws(() => parseRuns({ maxRuns: "2" }, RUN_DEFAULTS), /--max-runs 2 is below the 3 runs/);
  assert.throws(() => parseRuns({ maxRunsTime: "-1" }, RUN_DEFAULTS), /--max-runs-time must be/);
});
