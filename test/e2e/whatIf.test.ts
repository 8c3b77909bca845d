import assert from "node:assert/strict";
import { statfsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { formatBytes } from "../../src/gguf/modelInfoRows.ts";
import type { RunResults } from "../../src/results/types.ts";
import { expandWhatIf, parseWhatIf } from "../../src/whatif/parseWhatIf.ts";
import { whatIfFileBytes } from "../../src/whatif/whatIfFileBytes.ts";
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
  const tmp = await mkdtemp(path.join(os.tmpdir(), "gguf-bench-whatif-dry-"));
  try {
    const { code, stdout, stderr } = await runCli(["run", "--what-if", "seed", "--dry-run", "--no-db"], {
      TMPDIR: tmp,
    });
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
    // The four files stay until the run ends: their sizes add up (about 13.6 + 7.0 + 8.4 + 3.8 GiB).
    const needed = expandWhatIf("seed").reduce((sum, spec) => sum + whatIfFileBytes(parseWhatIf(spec)), 0);
    const line = stdout.split("\n").find((l) => l.startsWith("temporary disk:")) ?? "";
    const head = `temporary disk: 4 what-if file(s) need about ${formatBytes(needed)} in ${tmp} (removed after the run); `;
    assert.ok(line.startsWith(head), `${head} in\n${stdout}`);
    assert.match(
      line.slice(head.length),
      /^\d+\.\d\d [KMGT]iB free there: (enough|not enough \(with a 256\.00 MiB margin\): )/,
    );
    const { bavail, bsize } = statfsSync(tmp);
    const room = bavail * bsize - needed - 256 * 1024 ** 2;
    // The verdict follows the free space (unless other writers move it across the line meanwhile).
    if (Math.abs(room) > 1024 ** 3) assert.equal(line.endsWith(": enough"), room > 0, line);
    // Nothing synthesised (tsx keeps its own cache there).
    assert.deepEqual(
      (await readdir(tmp)).filter((name) => name.startsWith("gguf-bench-")),
      [],
    );
  } finally {
    await rm(tmp, { recursive: true, force: true });
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
