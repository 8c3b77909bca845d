import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import type { RunResults } from "../../src/results/types.ts";
import { tsxExecArgv } from "../../src/runner/workerEntry.ts";
import { parseRunOptions } from "../../src/suite/parseRunOptions.ts";
import { resultSink } from "../../src/suite/resultSink.ts";
import { runSuite } from "../../src/suite/runSuite.ts";
import { tinyModel } from "../helpers/tinyModel.ts";
import { withTempDir } from "../helpers/withTempDir.ts";
import { runCli, SMALL_RUN } from "./helpers.ts";

const selfKilling = {
  modulePath: fileURLToPath(new URL("./fixtures/selfKillingWorker.ts", import.meta.url)),
  execArgv: tsxExecArgv(),
};

const withTemp = (run: (dir: string) => Promise<void>) => withTempDir("gguf-bench-e2e-", run);

test("the real worker killed mid-load (SIGABRT, then SIGKILL): recorded failures, the next model still measured", async () => {
  await withTemp(async (dir) => {
    const models: string[] = [];
    for (const name of ["sigabrt-in-load", "sigkill-in-load", "fine"])
      models.push(await tinyModel(dir, `${name}.gguf`));
    const request = parseRunOptions(models, {
      runs: "1",
      warmup: "0",
      maxTokens: "4",
      threads: "1",
      contexts: "256",
      inferenceContext: "256",
      timeout: "120",
    });
    const results = await runSuite({
      models: models.map((file) => ({ file, synthetic: false })),
      config: request.config,
      outDir: dir,
      sink: resultSink(dir, null),
      bandwidth: false,
      worker: selfKilling,
    });
    const [aborted, killed, fine] = results.models;
    assert.equal(aborted?.process.outcome, "crash");
    assert.equal(aborted?.process.signal, "SIGABRT");
    assert.equal(aborted?.status, "failed");
    assert.deepEqual(
      aborted?.errors.map((e) => [e.stage, e.code]),
      [["load", "crash"]],
    );
    assert.equal(killed?.process.outcome, "killed");
    assert.match(killed?.errors[0]?.message ?? "", /killed by SIGKILL \(out of memory\?\) during load/);
    assert.equal(killed?.status, "failed");
    assert.equal(fine?.status, "ok", JSON.stringify(fine?.errors));
    assert.ok((fine?.inference?.summaries.generationTokensPerSecond.mean ?? 0) > 0);
  });
});

test("--timeout: a model that takes longer is killed, recorded as a timeout, and the exit code is 1", async () => {
  await withTemp(async (dir) => {
    const file = await tinyModel(dir);
    // Starting node-llama-cpp alone takes longer than a second; 200 tokens × 5 runs × 3 prompts far longer.
    const { code, stdout, stderr } = await runCli([
      "run",
      file,
      ...SMALL_RUN,
      "--runs",
      "5",
      "--max-tokens",
      "200",
      "--contexts",
      "2048",
      "--concurrency",
      "1",
      "--timeout",
      "1",
      "--out",
      dir,
      "--json",
    ]);
    assert.equal(code, 1, stderr);
    const results = JSON.parse(stdout) as RunResults;
    const [model] = results.models;
    assert.equal(model?.process.outcome, "timeout");
    assert.equal(model?.process.signal, "SIGKILL");
    assert.equal(model?.status, "failed");
    assert.match(model?.errors.at(-1)?.message ?? "", /exceeded --timeout 1 s/);
    // Every stage it did not reach has its row, saying why.
    const row = (r: { status: string; code?: string }) => (r.status === "error" ? r.code : r.status);
    assert.deepEqual(
      model?.contexts.map((c) => [c.contextSize, row(c)]),
      [[2048, "timeout"]],
    );
    assert.deepEqual(
      model?.concurrency.map((c) => [c.concurrency, row(c)]),
      [[1, "timeout"]],
    );
    assert.match(stderr, /1 result\(s\), 1 failed/);
  });
});

test("a corrupt file fails in the metadata stage without a process; the next model is measured; exit code 1", async () => {
  await withTemp(async (dir) => {
    const model = await tinyModel(dir);
    const corrupt = path.join(dir, "corrupt.gguf");
    // A valid magic and version, then a tensor count far beyond the file.
    const header = Buffer.alloc(24);
    header.write("GGUF", 0, "latin1");
    header.writeUInt32LE(3, 4);
    header.writeBigUInt64LE(1n << 40n, 8);
    header.writeBigUInt64LE(0n, 16);
    await writeFile(corrupt, header);
    const { code, stdout, stderr } = await runCli([
      "run",
      corrupt,
      model,
      ...SMALL_RUN,
      "--runs",
      "1",
      "--contexts",
      "256",
      "--out",
      dir,
      "--json",
    ]);
    assert.equal(code, 1, stderr);
    const results = JSON.parse(stdout) as RunResults;
    const [bad, good] = results.models;
    assert.equal(bad?.status, "failed");
    assert.equal(bad?.process.pid, null, "no process was started for it");
    assert.equal(bad?.errors[0]?.stage, "metadata");
    assert.ok(
      bad?.errors[0]?.code && bad.errors[0].code !== "metadata-failed",
      `a reader code: ${bad?.errors[0]?.code}`,
    );
    assert.equal(good?.status, "ok", JSON.stringify(good?.errors));
    assert.doesNotMatch(stderr, /at .*\.ts:\d+/, "no stack trace");
  });
});
