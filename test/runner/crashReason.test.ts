import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { synthesizeModel } from "../../src/gguf/synthesize.ts";
import { STANDARD_PROMPTS } from "../../src/prompts/standardPrompts.ts";
import { runGroup } from "../../src/runner/runGroup.ts";
import { groupJob } from "../helpers/groupJob.ts";
import { rewriteGguf } from "../helpers/rewriteGguf.ts";

test("llama.cpp aborting on a file without head counts: a crash whose message quotes the GGML_ASSERT line", async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "gguf-bench-crash-reason-"));
  try {
    const base = await synthesizeModel({
      arch: "llama",
      preset: "tiny",
      type: "f32",
      out: path.join(dir, "base.gguf"),
    });
    // ../shared/cases/no-head-count-stories260K.gguf's kind: llama.cpp aborts at load (README there).
    const file = path.join(dir, "no-head-count.gguf");
    await rewriteGguf(base.path, file, {
      metadata: (m) => {
        m.delete("llama.attention.head_count");
        m.delete("llama.attention.head_count_kv");
      },
    });
    const run = await runGroup({
      timeoutMs: 120_000,
      job: groupJob(file, {
        runs: 1,
        warmupRuns: 0,
        maxTokens: 4,
        inferenceContextSize: 256,
        contexts: [256],
        prompts: [STANDARD_PROMPTS[0] ?? assert.fail("no prompts")],
        trainingContextLength: 1024,
      }),
    });
    assert.equal(run.process.outcome, "crash", JSON.stringify(run.processError));
    assert.equal(run.process.signal, "SIGABRT");
    const error = run.processError ?? assert.fail("no process error");
    assert.equal(error.stage, "load");
    assert.match(
      error.message,
      /^crashed with SIGABRT during load: llama-model-loader\.cpp:\d+: GGML_ASSERT\(.+\) failed$/,
    );
    assert.deepEqual(
      error.llamaLog?.map((line) => line.replace(/:\d+:/, ":N:")),
      ["llama-model-loader.cpp:N: GGML_ASSERT(t_meta.ne[dim] >= 1) failed"],
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
