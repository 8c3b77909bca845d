import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import type { RunResults } from "../../src/results/types.ts";
import { runCli, SMALL_RUN } from "./helpers.ts";

test("a threads 1,2 sweep on a synthesised model: two measured cases in one process, and a best-settings line", async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "gguf-bench-sweep-e2e-"));
  try {
    const out = path.join(dir, "out");
    const args = ["run", "--what-if", "llama:tiny:q8_0", ...SMALL_RUN, "--threads", "1,2", "--runs", "2"];
    const { code, stdout, stderr } = await runCli(
      [...args, "--contexts", "256", "--format", "md", "--out", out, "--json"],
      {
        TMPDIR: dir,
      },
    );
    assert.equal(code, 0, stderr);
    const results = JSON.parse(stdout) as RunResults;
    assert.deepEqual(
      results.models.map((m) => [m.settings.threads, m.status]),
      [
        [1, "ok"],
        [2, "ok"],
      ],
    );
    const [one, two] = results.models;
    assert.equal(one?.process.pid, two?.process.pid, "threads are a context setting: one process, one load");
    for (const m of results.models) assert.ok((m.inference?.summaries.generationTokensPerSecond.mean ?? 0) > 0);
    const report = await readFile(path.join(out, "report.md"), "utf8");
    assert.match(report, /Best settings/i);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
