import assert from "node:assert/strict";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import type { RunResults } from "../../src/results/types.ts";
import { summarize } from "../../src/stats/summary.ts";
import { runCli } from "./helpers.ts";

test("gguf-bench run with no model: the synthesised demo set, measured and labelled synthetic", async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "gguf-bench-demo-e2e-"));
  try {
    const out = path.join(dir, "out");
    const { code, stdout, stderr } = await runCli(
      [
        "run",
        "--runs",
        "1",
        "--max-tokens",
        "8",
        "--contexts",
        "256,2048",
        "--out",
        out,
        "--no-db",
        "--no-bandwidth",
        "--json",
      ],
      { XDG_CACHE_HOME: path.join(dir, "cache") },
    );
    assert.equal(code, 0, stderr);
    const results = JSON.parse(stdout) as RunResults;
    assert.equal(results.models.length, 3);
    assert.match(results.config.threadsSource, /demo default 1/);
    for (const model of results.models) {
      assert.equal(model.synthetic, true);
      assert.equal(model.status, "ok", `${model.label}: ${JSON.stringify(model.errors)}`);
      const load = model.load;
      assert.ok(load && load.peakRssBytes >= load.after.vmRssBytes);
      const timed = model.inference?.samples.filter((s) => !s.warmup) ?? [];
      assert.equal(timed.length, 3);
      for (const s of timed) assert.ok((s.generationTokensPerSecond ?? 0) > 0 && (s.promptTokensPerSecond ?? 0) > 0);
      assert.deepEqual(
        model.inference?.summaries.promptTokensPerSecond,
        summarize(timed.map((s) => s.promptTokensPerSecond ?? Number.NaN)),
      );
      assert.equal(model.contexts[0]?.status, "ok");
    }
    // The tiny qwen2 was trained for 1024 tokens: 2048 is skipped; the 25m llama (2048) measures it.
    const byLabel = new Map(results.models.map((m) => [m.label, m]));
    assert.equal(byLabel.get("demo-qwen2-tiny")?.contexts[1]?.status, "skipped");
    assert.equal(byLabel.get("demo-llama-25m")?.contexts[1]?.status, "ok");
    assert.ok(byLabel.get("demo-llama-moe-25m")?.info.moe);
    const files = await readdir(out);
    for (const f of ["results.json", "report.md", "report.html", "report.csv"])
      assert.ok(files.includes(f), `${f} in ${files}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
