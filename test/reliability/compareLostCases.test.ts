import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { findLostCases } from "../../src/compare/findLostCases.ts";
import type { RunResults } from "../../src/results/types.ts";
import { buildRun } from "../helpers/resultsBuilder.ts";
import { spawnCli } from "../helpers/spawnCli.ts";

const same = { generationTokensPerSecond: [100, 102], ttftMs: [20, 22] };
const baseline = buildRun({
  models: ["kept", "crashes", "times-out", "vanishes", "failed-before"].map((label) => ({
    label: `${label}.gguf`,
    samples: same,
    status: label === "failed-before" ? ("failed" as const) : undefined,
  })),
});
const newer: RunResults = buildRun({
  models: [
    { label: "kept.gguf", samples: same },
    { label: "crashes.gguf", status: "failed" },
    { label: "times-out.gguf", samples: same },
    { label: "failed-before.gguf", status: "failed" },
  ],
});
{
  const timedOut = newer.models[2];
  if (!timedOut) throw new Error("fixture");
  timedOut.status = "partial";
  timedOut.process = { ...timedOut.process, outcome: "timeout", signal: "SIGKILL", exitCode: null };
  timedOut.errors = [{ stage: "contexts", code: "timeout", message: "exceeded --timeout 60 s during contexts" }];
}

let dir: string;
let fileA: string;
let fileB: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "gguf-bench-compare-lost-"));
  fileA = join(dir, "a.json");
  fileB = join(dir, "b.json");
  await writeFile(fileA, JSON.stringify(baseline));
  await writeFile(fileB, JSON.stringify(newer));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test("the cases run B lost: crashed, timed out, missing; one that failed in both runs is not new", () => {
  assert.deepEqual(
    findLostCases(baseline, newer).map((c) => [c.label, c.why.split(" ")[0]]),
    [
      ["vanishes.gguf", "missing"],
      ["crashes.gguf", "crash"],
      ["times-out.gguf", "timeout"],
    ],
  );
  assert.deepEqual(findLostCases(baseline, baseline), []);
});

test("compare --fail-on-regression exits 1 when a case crashed, timed out or is missing in the newer run", async () => {
  const run = await spawnCli(["compare", fileA, fileB, "--fail-on-regression", "5", "--db", join(dir, "none.db")]).done;
  assert.equal(run.code, 1, run.stderr);
  const lines = run.stderr.trim().split("\n");
  assert.equal(lines.length, 1, run.stderr);
  assert.match(
    lines[0] ?? "",
    /^gguf-bench: 3 case\(s\) of run A lost in run B: vanishes\.gguf#4 missing; crashes\.gguf#2 crash \(process: child ended by SIGSEGV\), was ok; times-out\.gguf#3 timeout \(contexts: exceeded --timeout 60 s during contexts\), was ok$/,
  );
  // Without the flag it is a report, not a verdict; against itself nothing is lost.
  assert.equal((await spawnCli(["compare", fileA, fileB, "--db", join(dir, "none.db")]).done).code, 0);
  const self = await spawnCli(["compare", fileA, fileA, "--fail-on-regression", "5", "--db", join(dir, "none.db")])
    .done;
  assert.equal(self.code, 0, self.stderr);
});
