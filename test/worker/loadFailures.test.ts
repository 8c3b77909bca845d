import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import type { GgufMetadata } from "../../src/gguf/ggufValue.ts";
import { readGgufFile } from "../../src/gguf/readGgufFile.ts";
import { synthesizeModel } from "../../src/gguf/synthesize.ts";
import { STANDARD_PROMPTS } from "../../src/prompts/standardPrompts.ts";
import type { GroupJob } from "../../src/worker/protocol.ts";
import { groupJob } from "../helpers/groupJob.ts";
import { rewriteGguf } from "../helpers/rewriteGguf.ts";
import { ofType, runWorker } from "./workerHarness.ts";

// Each file below is a tiny llama from the project's writer, edited like the files in ../shared/cases (README
// there): llama.cpp's own reason must reach the stage error, not just "Failed to load model".
let dir: string;
let base: string;
before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "gguf-bench-load-failures-"));
  // tiny: embd 64, 4 heads of 16, 2 KV heads: attn_k is [64, 32].
  base = (await synthesizeModel({ arch: "llama", preset: "tiny", type: "f32", out: path.join(dir, "base.gguf") })).path;
});
after(() => rm(dir, { recursive: true, force: true }));

function job(file: string): GroupJob {
  return groupJob(file, {
    runs: 1,
    warmupRuns: 0,
    maxTokens: 4,
    inferenceContextSize: 256,
    contexts: [256],
    prompts: [STANDARD_PROMPTS[0] ?? assert.fail("no prompts")],
    trainingContextLength: 1024,
  });
}

async function loadError(file: string) {
  const run = await runWorker(job(file));
  assert.equal(run.exitCode, 0, run.stderr);
  assert.equal(run.stdout + run.stderr, "", "the worker never prints");
  const errors = ofType(run, "stage-error");
  assert.equal(errors.length, 1, JSON.stringify(errors));
  const error = errors[0]?.error ?? assert.fail("no stage error");
  assert.equal(error.stage, "load");
  assert.equal(error.code, "load-failed");
  assert.ok(!error.message.includes("\n"), "one line");
  return error;
}

test("a tensor whose shape disagrees with head_count_kv: llama.cpp's check_tensor_dims line and a hint", async () => {
  const file = path.join(dir, "wrong-kv-heads.gguf");
  await rewriteGguf(base, file, {
    metadata: (m) => void m.set("llama.attention.head_count_kv", { type: "u32", value: 4 }),
  });
  const error = await loadError(file);
  const reason = "check_tensor_dims: tensor 'blk.0.attn_k.weight' has wrong shape; expected 64, 64, got 64, 32, 1, 1";
  assert.deepEqual(error.llamaLog, [reason]);
  assert.equal(error.message, `Failed to load model (llama.cpp: ${reason})`);
  assert.match(error.hint ?? "", /tensor 'blk\.0\.attn_k\.weight' does not have the shape the metadata implies/);
});

test("part 2 of a split model: 'illegal split file idx: 1' and a hint naming part 1", async () => {
  // As llama.cpp's gguf-split writes them: part 1 has the metadata and the first tensors, part 2 only the
  // split keys and the rest.
  const header = await readGgufFile(base);
  const count = header.tensors.length;
  const half = Math.floor(count / 2);
  const splitKeys = (m: GgufMetadata, no: number) => {
    m.set("split.no", { type: "u16", value: no });
    m.set("split.count", { type: "u16", value: 2 });
    m.set("split.tensors.count", { type: "i32", value: count });
  };
  await rewriteGguf(base, path.join(dir, "model-00001-of-00002.gguf"), {
    metadata: (m) => splitKeys(m, 0),
    tensors: (tensors) => tensors.slice(0, half),
  });
  const file = path.join(dir, "model-00002-of-00002.gguf");
  await rewriteGguf(base, file, {
    metadata: (m) => {
      m.clear();
      splitKeys(m, 1);
    },
    tensors: (tensors) => tensors.slice(half),
  });
  const error = await loadError(file);
  assert.deepEqual(error.llamaLog, [
    `illegal split file idx: 1 (file: ${file}), model must be loaded with the first split`,
  ]);
  assert.match(error.message, /^Failed to load model \(llama\.cpp: illegal split file idx: 1 /);
  assert.equal(
    error.hint,
    "this is part 2 of a split model: give its first part (model-00001-of-00002.gguf), which loads the others",
  );
});

test("an architecture llama.cpp does not know: 'unknown model architecture' and a hint", async () => {
  const file = path.join(dir, "unknown-arch.gguf");
  await rewriteGguf(base, file, { metadata: (m) => renameArchitecture(m, "llama", "gguf-bench-test-arch") });
  const error = await loadError(file);
  assert.deepEqual(error.llamaLog, ["unknown model architecture: 'gguf-bench-test-arch'"]);
  assert.match(error.hint ?? "", /does not know the architecture 'gguf-bench-test-arch'/);
});

function renameArchitecture(metadata: GgufMetadata, from: string, to: string): void {
  metadata.set("general.architecture", { type: "string", value: to });
  for (const [key, value] of [...metadata]) {
    if (!key.startsWith(`${from}.`)) continue;
    metadata.delete(key);
    metadata.set(`${to}.${key.slice(from.length + 1)}`, value);
  }
}
