import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { availableCores } from "../../src/environment/availableCores.ts";
import { UsageError } from "../../src/errors.ts";
import { DEMO_DEFAULTS, RUN_DEFAULTS } from "../../src/suite/defaults.ts";
import { parseRunOptions, timestampFolder } from "../../src/suite/parseRunOptions.ts";

test("defaults with a model: the documented values, threads from the cores available", () => {
  const r = parseRunOptions(["a.gguf"], {}, new Date("2026-11-26T06:30:01.123Z"));
  assert.equal(r.demo, false);
  assert.equal(r.config.runs, RUN_DEFAULTS.minAutoRuns, "--runs auto: the minimum");
  assert.deepEqual(r.config.autoRuns, { targetCiFraction: 0.05, maxRuns: 10, timeBudgetMs: 60_000 });
  assert.equal(r.config.maxTokens, 128);
  assert.deepEqual(r.config.contexts, [512, 1024, 2048, 4096]);
  const cores = availableCores();
  assert.deepEqual(r.config.sweep.threads, [cores.cores]);
  assert.equal(r.config.threadsSource, cores.source);
  assert.deepEqual(r.config.sweep.cache, ["unknown"]);
  assert.equal(r.config.timeoutMs, 600_000);
  assert.equal(r.outDir, path.resolve("gguf-bench-results/2026-11-26T06-30-01Z"));
  assert.equal(r.dbPath, undefined);
  assert.equal(r.bandwidth, true);
  assert.equal(r.config.prompts.length, 3);
});

test("no model: the demo defaults, which flags still override", () => {
  const r = parseRunOptions([], { runs: "1" });
  assert.equal(r.demo, true);
  assert.equal(r.config.runs, 1);
  assert.equal(r.config.autoRuns, null);
  // The demo's own default: auto with a short time budget.
  assert.equal(parseRunOptions([], {}).config.autoRuns?.timeBudgetMs, DEMO_DEFAULTS.maxRunsTimeSeconds * 1000);
  assert.equal(r.config.maxTokens, DEMO_DEFAULTS.maxTokens);
  assert.deepEqual(r.config.contexts, [...DEMO_DEFAULTS.contexts]);
});

test("lists sweep, sorted and de-duplicated where order does not matter", () => {
  const r = parseRunOptions(["a.gguf"], {
    threads: "1,2,2",
    contexts: "1024,256",
    flashAttention: "on,off",
    kvCacheType: "f16,q8_0",
    mmap: false,
    cache: "both",
    db: false,
    bandwidth: false,
  });
  assert.deepEqual(r.config.sweep.threads, [1, 2]);
  assert.equal(r.config.threadsSource, "--threads 1,2");
  assert.deepEqual(r.config.contexts, [256, 1024]);
  assert.deepEqual(r.config.sweep.flashAttention, [true, false]);
  assert.deepEqual(r.config.sweep.kvCacheType, ["f16", "q8_0"]);
  assert.deepEqual(r.config.sweep.mmap, [false]);
  assert.deepEqual(r.config.sweep.cache, ["cold", "warm"]);
  assert.equal(r.dbPath, null);
  assert.equal(r.bandwidth, false);
  assert.deepEqual(parseRunOptions(["a"], { mmap: "on,off" }).config.sweep.mmap, [true, false]);
});

test("usage errors name the flag", () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ runs: "0" }, /--runs/],
    [{ runs: "2.5" }, /--runs/],
    [{ threads: "1,,2" }, /--threads/],
    [{ kvCacheType: "q4_0" }, /--kv-cache-type accepts f16, q8_0/],
    [{ flashAttention: "yes" }, /--flash-attention/],
    [{ format: "pdf" }, /--format/],
    [{ maxTokens: "4096", inferenceContext: "2048" }, /--max-tokens 4096 must be below --inference-context 2048/],
    [{ timeout: "-1" }, /--timeout/],
  ];
  for (const [raw, message] of cases)
    assert.throws(
      () => parseRunOptions(["a"], raw),
      (e) => e instanceof UsageError && message.test(e.message),
    );
});

test("timestamp folders have no colons", () => {
  assert.equal(timestampFolder(new Date("2026-01-02T03:04:05.678Z")), "2026-01-02T03-04-05Z");
});

test("--quality and its options: defaults, implication by any of them, checked values", () => {
  assert.equal(parseRunOptions(["a.gguf"], {}).quality, null);
  assert.deepEqual(parseRunOptions(["a.gguf"], { quality: true }).quality, {
    textFile: null,
    contextSize: RUN_DEFAULTS.qualityContext,
    reference: null,
    maxKldNats: 0.05,
  });
  const implied = parseRunOptions(["a.gguf"], { reference: "ref.gguf", qualityContext: "128", maxKld: "0.1" });
  assert.deepEqual(implied.quality, {
    textFile: null,
    contextSize: 128,
    reference: path.resolve("ref.gguf"),
    maxKldNats: 0.1,
  });
  assert.equal(parseRunOptions(["a.gguf"], { qualityText: "t.txt" }).quality?.textFile, path.resolve("t.txt"));
  assert.throws(
    () => parseRunOptions(["a.gguf"], { qualityContext: "4" }),
    /--quality-context must be an integer from 8/,
  );
  assert.throws(() => parseRunOptions(["a.gguf"], { maxKld: "0" }), UsageError);
  assert.throws(() => parseRunOptions(["a.gguf"], { maxKld: "lots" }), /--max-kld must be a positive number/);
});
