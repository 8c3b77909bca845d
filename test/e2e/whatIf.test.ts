import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import type { RunResults } from "../../src/results/types.ts";
import { runCli, SMALL_RUN } from "./helpers.ts";

test("--what-if synthesises the shape in a temporary folder, benchmarks it as synthetic, and removes it", async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "gguf-bench-whatif-e2e-"));
  try {
    const tmp = path.join(dir, "tmp");
    await mkdir(tmp);
    const { code, stdout, stderr } = await runCli(
      [
        "run",
        "--what-if",
        "qwen2:tiny:q8_0",
        ...SMALL_RUN,
        "--runs",
        "1",
        "--contexts",
        "256",
        "--out",
        path.join(dir, "out"),
        "--json",
      ],
      { TMPDIR: tmp },
    );
    assert.equal(code, 0, stderr);
    const results = JSON.parse(stdout) as RunResults;
    const [model] = results.models;
    assert.equal(model?.label, "what-if qwen2 tiny q8_0");
    assert.equal(model?.synthetic, true);
    assert.equal(model?.info.architecture, "qwen2");
    assert.equal(model?.status, "ok", JSON.stringify(model?.errors));
    // (tsx keeps its own cache in TMPDIR too.)
    const left = (await readdir(tmp)).filter((name) => name.startsWith("gguf-bench-what-if-"));
    assert.deepEqual(left, [], "the synthetic file is removed after the run");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("a bad --what-if spec is a usage error before anything runs", async () => {
  const { code, stderr } = await runCli(["run", "--what-if", "llama:huge:q8_0", "--no-db"]);
  assert.equal(code, 2);
  assert.match(stderr, /--what-if 'llama:huge:q8_0': unknown preset 'huge'/);
});

test("--what-if seed plans the original report's four models (as Q4_K_M) without writing anything", async () => {
  const { code, stdout, stderr } = await runCli(["run", "--what-if", "seed", "--dry-run", "--no-db"]);
  assert.equal(code, 0, stderr);
  assert.match(stdout, /^4 model\(s\)/);
  for (const label of [
    "what-if llama-moe seed-moe-4x7b q4_k_m (synthetic)",
    "what-if llama seed-ayla-12b q4_k_m (synthetic)",
    "what-if qwen2 seed-deepseek-14b q4_k_m (synthetic)",
    "what-if llama seed-wizardlm-7b q4_k_m (synthetic)",
  ]) {
    assert.ok(stdout.includes(`- ${label}:`), `${label} in\n${stdout}`);
  }
});

test("--what-if --dry-run notes a tiny k-quant label whose file holds no k-quant tensor (same kernels as q8_0)", async () => {
  const { code, stdout, stderr } = await runCli([
    "run",
    "--what-if",
    "llama:tiny:q6_k",
    "--what-if",
    "llama:tiny:q8_0",
    "--what-if",
    "gemma3:tiny:q4_k_m",
    "--dry-run",
    "--no-db",
  ]);
  assert.equal(code, 0, stderr);
  const notes = stdout.split("\n").filter((line) => line.startsWith("note: what-if"));
  assert.deepEqual(notes, [
    "note: what-if llama tiny q6_k: tiny q6_k holds Q8_0, no Q6_K: rows that are not a multiple of 256 cannot be k-quantised (llama.cpp's quantizer falls back)",
  ]);
});
