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

test("an explicit --ubatch-size keeps the full product for llama-server; node-llama-cpp's cases run ubatch = batch, once each", () => {
  const { config, warnings } = parseRunOptions(["a.gguf", "b.gguf"], {
    batchSize: "256,512",
    ubatchSize: "128,256",
    threads: "1",
    mmap: "on,off",
    engine: "node-llama-cpp,llama-server",
  });
  assert.equal(config.ubatchFollowsBatch, false);
  assert.deepEqual(warnings, [
    "--ubatch-size applies to llama-server only: node-llama-cpp 3.21.1 sets n_ubatch = n_batch (it has no micro-batch option), so its cases ran with ubatch = batch",
  ]);
  assert.ok(config.notes.includes(warnings[0] ?? ""));
  const groups = planSuiteCases(2, config.sweep, config.ubatchFollowsBatch);
  const node = groups.filter((g) => g.load.engine === "node-llama-cpp");
  const server = groups.filter((g) => g.load.engine === "llama-server");
  // node-llama-cpp: one process per model and mmap setting, each with the two batch sizes (not 2 × 2 cases).
  assert.equal(node.length, 2 * 2);
  for (const group of node)
    assert.deepEqual(
      group.cases.map((c) => [c.batchSize, c.ubatchSize]),
      [
        [256, 256],
        [512, 512],
      ],
    );
  // llama-server: every case its own group, the full product as asked.
  assert.equal(server.length, 2 * 2 * 4);
  assert.deepEqual(
    server.slice(0, 4).map((g) => [g.cases[0]?.batchSize, g.cases[0]?.ubatchSize]),
    [
      [256, 128],
      [256, 256],
      [512, 128],
      [512, 256],
    ],
  );
});

test("--ubatch-size only node-llama-cpp would run, apart from the batch: a UsageError naming the flag; equal: no note", () => {
  assert.throws(() => parseRunOptions(["a.gguf"], { batchSize: "256,512", ubatchSize: "256,512" }), {
    name: "UsageError",
    message: /^--ubatch-size 256,512 with --batch-size 256,512: node-llama-cpp 3\.21\.1 sets n_ubatch = n_batch/,
  });
  const equal = parseRunOptions(["a.gguf"], { batchSize: "256", ubatchSize: "256" });
  assert.deepEqual(equal.warnings, []);
  assert.deepEqual(
    planSuiteCases(1, equal.config.sweep, equal.config.ubatchFollowsBatch)[0]?.cases.map((c) => c.ubatchSize),
    [256],
  );
  // llama-server alone takes any micro-batch: no note.
  assert.deepEqual(parseRunOptions(["a.gguf"], { ubatchSize: "128", engine: "llama-server" }).warnings, []);
});
