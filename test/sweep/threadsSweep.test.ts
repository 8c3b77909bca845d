import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { bestSettings } from "../../src/analysis/bestSettings.ts";
import { rooflineFor } from "../../src/analysis/roofline.ts";
import type { RunResults } from "../../src/results/types.ts";
import { busiestShare } from "../../src/stats/busyStages.ts";
import { runCli, SMALL_RUN } from "../e2e/helpers.ts";

test("threads 1,2 on a tiny synthesised model: two measured configurations, a best-settings result backed by Welch's test, roofline points under the bound", async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "gguf-bench-threads-sweep-"));
  try {
    // Bandwidth on (SMALL_RUN turns it off) so the run records what the roofline needs.
    const flags = SMALL_RUN.filter((flag) => flag !== "--no-bandwidth");
    const { code, stdout, stderr } = await runCli(
      ["run", "--what-if", "llama:tiny:q8_0", ...flags, "--threads", "1,2", "--runs", "3", "--contexts", "256"].concat([
        "--out",
        path.join(dir, "out"),
        "--json",
      ]),
      { TMPDIR: dir },
    );
    assert.equal(code, 0, stderr);
    const results = JSON.parse(stdout) as RunResults;
    assert.deepEqual(results.config.sweep.threads, [1, 2]);
    assert.deepEqual(
      results.models.map((m) => [m.settings.threads, m.status, m.synthetic]),
      [
        [1, "ok", true],
        [2, "ok", true],
      ],
    );
    const means = results.models.map((m) => m.inference?.summaries.generationTokensPerSecond.mean ?? 0);
    for (const m of results.models) assert.equal(m.inference?.summaries.generationTokensPerSecond.n, 9);

    const [entry, ...others] = bestSettings(results.models);
    assert.equal(others.length, 0);
    assert.ok(entry);
    assert.deepEqual(entry.varied, ["threads"]);
    const bestIndex = (means[0] ?? 0) >= (means[1] ?? 0) ? 0 : 1;
    assert.equal(entry.best.caseId, results.models[bestIndex]?.caseId);
    assert.equal(entry.best.mean, means[bestIndex]);
    assert.ok(entry.best.ci95Low <= entry.best.mean && entry.best.mean <= entry.best.ci95High);
    assert.equal(entry.runnerUp?.caseId, results.models[1 - bestIndex]?.caseId);
    const p = entry.runnerUp?.pValue;
    // Busy inference stages (this machine is often shared) make the difference unreliable, whatever p says.
    const shares = results.models.flatMap((m) => busiestShare(m, "inference") ?? []);
    const busy = shares.length > 0 ? Math.max(...shares) : null;
    assert.equal(entry.runnerUp?.busyOtherCpuFraction, busy);
    if (p === null || p === undefined) assert.equal(entry.runnerUp?.significant, false);
    else {
      assert.ok(p >= 0 && p <= 1);
      assert.equal(entry.runnerUp?.significant, busy === null && p < 0.05);
    }

    const bandwidth = results.environment.memoryBandwidthBytesPerSecond;
    assert.ok(bandwidth && bandwidth > 0, "the run measured no bandwidth");
    for (const model of results.models) {
      const points = rooflineFor(model, bandwidth);
      assert.deepEqual(
        points.map((point) => point.contextSize),
        [null, 256],
      );
      // A tiny model cannot decode faster than the memory system can stream its weights and KV cache.
      for (const point of points) assert.ok(point.fraction > 0 && point.fraction < 1, JSON.stringify(point));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
