import assert from "node:assert/strict";
import { test } from "node:test";
import { parseRunOptions } from "../../src/suite/parseRunOptions.ts";
import { planSuiteCases } from "../../src/suite/planSuiteCases.ts";

test("without --ubatch-size the micro-batch follows each batch size: 2 batch sizes give 2 cases, not 2 × 2", () => {
  const { config } = parseRunOptions(["a.gguf"], { batchSize: "256,512", threads: "1" });
  assert.equal(config.ubatchFollowsBatch, true);
  assert.deepEqual(config.sweep.ubatchSize, [256, 512]);
  const groups = planSuiteCases(1, config.sweep, config.ubatchFollowsBatch);
  assert.deepEqual(
    groups[0]?.cases.map((c) => [c.batchSize, c.ubatchSize]),
    [
      [256, 256],
      [512, 512],
    ],
  );
});

test("an explicit --ubatch-size keeps the full product, one load group per model and load setting", () => {
  const { config } = parseRunOptions(["a.gguf", "b.gguf"], {
    batchSize: "256,512",
    ubatchSize: "128,256",
    threads: "1",
    mmap: "on,off",
  });
  assert.equal(config.ubatchFollowsBatch, false);
  const groups = planSuiteCases(2, config.sweep, config.ubatchFollowsBatch);
  assert.equal(groups.length, 2 * 2);
  assert.deepEqual(
    groups.map((g) => g.cases.length),
    [4, 4, 4, 4],
  );
});
