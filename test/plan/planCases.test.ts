import assert from "node:assert/strict";
import { test } from "node:test";
import { planCases } from "../../src/plan/planCases.ts";
import { buildSweep } from "../helpers/resultsBuilder.ts";

const sweep = buildSweep;

test("no sweep: one group with one case per model, in model order", () => {
  const groups = planCases(2, sweep());
  assert.deepEqual(groups, [
    {
      modelIndex: 0,
      load: { cache: "unknown", mmap: true, gpuLayers: 0, engine: "node-llama-cpp" },
      cases: [
        {
          cache: "unknown",
          mmap: true,
          gpuLayers: 0,
          threads: 2,
          batchSize: 512,
          ubatchSize: 512,
          flashAttention: false,
          kvCacheType: "f16",
          engine: "node-llama-cpp",
        },
      ],
    },
    {
      modelIndex: 1,
      load: { cache: "unknown", mmap: true, gpuLayers: 0, engine: "node-llama-cpp" },
      cases: [
        {
          cache: "unknown",
          mmap: true,
          gpuLayers: 0,
          threads: 2,
          batchSize: 512,
          ubatchSize: 512,
          flashAttention: false,
          kvCacheType: "f16",
          engine: "node-llama-cpp",
        },
      ],
    },
  ]);
});

test("context-level settings share one load: threads 1,2 × kv f16,q8_0 is one group of four cases", () => {
  const groups = planCases(1, sweep({ threads: [1, 2], kvCacheType: ["f16", "q8_0"] }));
  assert.equal(groups.length, 1);
  const cases = groups[0]?.cases ?? [];
  assert.deepEqual(
    cases.map((c) => [c.threads, c.kvCacheType]),
    [
      [1, "f16"],
      [1, "q8_0"],
      [2, "f16"],
      [2, "q8_0"],
    ],
  );
});

test("load-level settings split groups: mmap on,off × cache cold,warm gives four loads per model", () => {
  const groups = planCases(
    2,
    sweep({ mmap: [true, false], cache: ["cold", "warm"], threads: [1, 2], flashAttention: [false, true] }),
  );
  assert.equal(groups.length, 8);
  assert.deepEqual(
    groups.map((g) => [g.modelIndex, g.load.cache, g.load.mmap]),
    [
      [0, "cold", true],
      [0, "cold", false],
      [0, "warm", true],
      [0, "warm", false],
      [1, "cold", true],
      [1, "cold", false],
      [1, "warm", true],
      [1, "warm", false],
    ],
  );
  for (const group of groups) {
    assert.equal(group.cases.length, 4);
    // Every case of a group carries exactly the group's load settings.
    for (const c of group.cases) {
      assert.equal(c.cache, group.load.cache);
      assert.equal(c.mmap, group.load.mmap);
      assert.equal(c.gpuLayers, group.load.gpuLayers);
    }
    assert.deepEqual(
      group.cases.map((c) => [c.threads, c.flashAttention]),
      [
        [1, false],
        [1, true],
        [2, false],
        [2, true],
      ],
    );
  }
});

test("the full product: every combination appears exactly once and the count is the product of list lengths", () => {
  const s = sweep({
    threads: [1, 2, 4],
    batchSize: [256, 512],
    ubatchSize: [128, 512],
    flashAttention: [false, true],
    kvCacheType: ["f16", "q8_0"],
    mmap: [true, false],
    gpuLayers: [0, 99],
    cache: ["cold", "warm"],
  });
  const groups = planCases(3, s);
  // loads: 3 models × 2 cache × 2 mmap × 2 gpuLayers = 24; cases per load: 3 × 2 × 2 × 2 × 2 = 48
  assert.equal(groups.length, 24);
  const all = groups.flatMap((g) => g.cases.map((c) => JSON.stringify([g.modelIndex, c])));
  assert.equal(all.length, 24 * 48);
  assert.equal(new Set(all).size, 24 * 48);
  // Loads of one model are contiguous: the model index never goes back.
  const indexes = groups.map((g) => g.modelIndex);
  assert.deepEqual(
    indexes,
    [...indexes].sort((a, b) => a - b),
  );
});

test("engines are a load-level dimension; a server engine runs each case in a process of its own", () => {
  const groups = planCases(1, sweep({ engine: ["node-llama-cpp", "llama-server"], threads: [1, 2] }));
  assert.deepEqual(
    groups.map((g) => [g.load.engine, g.cases.map((c) => [c.engine, c.threads])]),
    [
      [
        "node-llama-cpp",
        [
          ["node-llama-cpp", 1],
          ["node-llama-cpp", 2],
        ],
      ],
      ["llama-server", [["llama-server", 1]]],
      ["llama-server", [["llama-server", 2]]],
    ],
  );
});

test("zero models gives an empty plan", () => {
  assert.deepEqual(planCases(0, sweep({ threads: [1, 2] })), []);
});
