import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { synthesizeModel } from "../../src/gguf/synthesize.ts";
import type { RunResults } from "../../src/results/types.ts";
import { rewriteGguf } from "../helpers/rewriteGguf.ts";
import { runCli, SMALL_RUN } from "./helpers.ts";

test("a model llama.cpp refuses: its reason and a hint reach results.json and stderr, progress shows ✖, the next model runs", async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "gguf-bench-load-reason-"));
  try {
    const good = (
      await synthesizeModel({ arch: "llama", preset: "tiny", type: "f32", out: path.join(dir, "good.gguf") })
    ).path;
    // Tensors sized for 2 KV heads, metadata saying 4 (../shared/cases/no-head-count-kv-stories260K.gguf's kind).
    const bad = path.join(dir, "wrong-kv-heads.gguf");
    await rewriteGguf(good, bad, {
      metadata: (m) => void m.set("llama.attention.head_count_kv", { type: "u32", value: 4 }),
    });
    const { code, stdout, stderr } = await runCli([
      "run",
      bad,
      good,
      ...SMALL_RUN,
      "--runs",
      "1",
      "--contexts",
      "256",
      "--out",
      path.join(dir, "out"),
      "--json",
    ]);
    assert.equal(code, 1, stderr);
    const results = JSON.parse(stdout) as RunResults;
    const [refused, fine] = results.models;
    const reason = "check_tensor_dims: tensor 'blk.0.attn_k.weight' has wrong shape; expected 64, 64, got 64, 32, 1, 1";
    assert.equal(refused?.status, "failed");
    assert.deepEqual(
      refused?.errors.map((e) => [e.stage, e.code, e.llamaLog]),
      [["load", "load-failed", [reason]]],
    );
    assert.match(refused?.errors[0]?.hint ?? "", /does not have the shape the metadata implies/);
    assert.equal(fine?.status, "ok", JSON.stringify(fine?.errors));

    // The closing lines name the failure, llama.cpp's reason and the hint.
    assert.ok(
      stderr.includes(
        `gguf-bench: wrong-kv-heads.gguf failed — load load-failed: Failed to load model (llama.cpp: ${reason})`,
      ),
      stderr,
    );
    assert.match(stderr, /gguf-bench: {3}hint: tensor 'blk\.0\.attn_k\.weight' does not have the shape/);
    // Progress (plain lines: CI is set): the refused model is marked failed, never ✔.
    assert.match(stderr, /✖ \[1\/2\] wrong-kv-heads\.gguf \[FAILED: load load-failed: .*check_tensor_dims/);
    assert.doesNotMatch(stderr, /✔ \[1\/2\] wrong-kv-heads\.gguf/);
    assert.match(stderr, /✔ \[2\/2\] good\.gguf/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
