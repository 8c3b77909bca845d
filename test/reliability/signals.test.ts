import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import type { RunResults } from "../../src/results/types.ts";
import { spawnCli } from "../helpers/spawnCli.ts";
import { tinyModel } from "../helpers/tinyModel.ts";

const TINY_RUN = ["--runs", "1", "--warmup", "0", "--max-tokens", "4", "--threads", "1", "--inference-context", "256"];

/** Starts `run --what-if llama:tiny:q8_0` (a Markdown report into `folder`, TMPDIR `tmp`) and waits for its load. */
async function startWhatIfRun(folder: string, tmp: string) {
  const cli = spawnCli(
    ["run", "--what-if", "llama:tiny:q8_0", ...TINY_RUN, "--contexts", "256", "--no-db", "--no-bandwidth"].concat([
      "--format",
      "md",
      "--out",
      folder,
    ]),
    { env: { TMPDIR: tmp } },
  );
  await cli.waitForStderr(/› load/);
  return cli;
}

for (const signal of ["SIGTERM", "SIGHUP"] as const) {
  test(`${signal} stops a run as Ctrl-C does: results.json marked interrupted with its end, reports written, the --what-if file removed, exit 1`, async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), `gguf-bench-${signal.toLowerCase()}-`));
    try {
      const tmp = path.join(dir, "tmp");
      await mkdir(tmp);
      const folder = path.join(dir, "run");
      const out = path.join(dir, "report");
      const cli = await startWhatIfRun(folder, tmp);
      cli.child.kill(signal);
      const { code, signal: killedBy, stderr } = await cli.done;
      assert.equal(killedBy, null, `ended by itself, not by ${signal}: ${stderr}`);
      assert.equal(code, 1, stderr);
      assert.match(stderr, new RegExp(`gguf-bench: stopped by ${signal}: stopping the current model`));
      assert.doesNotMatch(stderr, /\n\s+at /, "no stack trace");
      const results = JSON.parse(await readFile(path.join(folder, "results.json"), "utf8")) as RunResults;
      assert.equal(results.interrupted, true);
      assert.ok(results.finishedAt, "the end is recorded");
      assert.equal(results.models[0]?.process.outcome, "interrupted");
      assert.match(await readFile(path.join(folder, "report.md"), "utf8"), /Interrupted before the end/);
      const left = (await readdir(tmp)).filter((name) => name.startsWith("gguf-bench-what-if-"));
      assert.deepEqual(left, [], "the synthetic model is removed");
      // Re-rendering it later still says it is incomplete (exit 1), never a complete run.
      const again = await spawnCli(["report", path.join(folder, "results.json"), "--out", out, "--format", "md"]).done;
      assert.equal(again.code, 1, again.stderr);
      assert.match(await readFile(path.join(out, "report.md"), "utf8"), /Interrupted before the end/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}

test("a second stop signal ends the run at once (128 + its number), still removes the --what-if file, and report calls the run incomplete", async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "gguf-bench-second-signal-"));
  try {
    const tmp = path.join(dir, "tmp");
    await mkdir(tmp);
    const folder = path.join(dir, "run");
    const cli = await startWhatIfRun(folder, tmp);
    cli.child.kill("SIGTERM");
    await cli.waitForStderr(/stopped by SIGTERM/);
    cli.child.kill("SIGTERM");
    const { code, stderr } = await cli.done;
    assert.equal(code, 143, stderr);
    assert.deepEqual(
      (await readdir(tmp)).filter((name) => name.startsWith("gguf-bench-what-if-")),
      [],
      "the synthetic model is removed",
    );
    const results = JSON.parse(await readFile(path.join(folder, "results.json"), "utf8")) as RunResults;
    assert.equal(results.finishedAt, null, "the run has no recorded end");
    const again = await spawnCli(["report", path.join(folder, "results.json"), "--out", path.join(dir, "report")]).done;
    assert.equal(again.code, 1, again.stderr);
    assert.match(await readFile(path.join(dir, "report", "report.md"), "utf8"), /→ not finished/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("a stop signal: the cut model shows ↓ interrupted, the unreached one ↓ not run and is recorded as not run in results.json and the report; the summary counts neither as failed", async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "gguf-bench-not-reached-"));
  try {
    const first = await tinyModel(dir, "first.gguf");
    const second = await tinyModel(dir, "second.gguf");
    const cli = spawnCli(
      ["run", first, second, ...TINY_RUN, "--contexts", "256", "--no-db", "--no-bandwidth", "--format", "md"].concat([
        "--out",
        path.join(dir, "run"),
      ]),
    );
    await cli.waitForStderr(/› load · first\.gguf/);
    cli.child.kill("SIGTERM");
    const { code, stderr } = await cli.done;
    assert.equal(code, 1, stderr);
    assert.match(
      stderr,
      /^↓ \[2\/2\] second\.gguf \[SKIPPED: not run: the run was stopped \(Ctrl-C or a stop signal\) before it started\]$/m,
    );
    assert.match(
      stderr,
      /^↓ \[1\/2\] first\.gguf \[SKIPPED: interrupted \(Ctrl-C or a stop signal\) during load; the stages it finished are kept in the results\]$/m,
    );
    assert.doesNotMatch(stderr, /[✔✖] \[[12]\/2\]/);
    assert.doesNotMatch(stderr, /first\.gguf failed/);
    assert.match(
      stderr,
      /^gguf-bench: interrupted: 1 result\(s\), 0 failed, 1 cut short by the stop, 1 not run; results in /m,
    );
    const results = JSON.parse(await readFile(path.join(dir, "run", "results.json"), "utf8")) as RunResults;
    assert.deepEqual(
      results.models.map((m) => [m.label, m.status, m.process.outcome]),
      [["first.gguf", "interrupted", "interrupted"]],
    );
    assert.deepEqual(
      results.notRun?.map((c) => [c.caseId, c.label, c.file, c.settings.engine, c.code]),
      [["second.gguf#1", "second.gguf", second, "node-llama-cpp", "interrupted"]],
    );
    const report = await readFile(path.join(dir, "run", "report.md"), "utf8");
    assert.match(report, /1 cut short by a stop/);
    assert.match(report, /\| interrupted during load \(/);
    assert.match(report, /1 planned case\(s\) never started/);
    assert.match(report, /^- second\.gguf\\#1: second\.gguf \(node-llama-cpp\) — not run: the run was stopped/m);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
