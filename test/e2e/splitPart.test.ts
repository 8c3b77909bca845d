import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { synthesizeModel } from "../../src/gguf/synthesize.ts";
import type { RunResults } from "../../src/results/types.ts";
import { splitInTwo } from "../helpers/craftedModels.ts";
import { runCli, SMALL_RUN } from "./helpers.ts";

test("a split model named by its second part: run loads the first part, estimate reads both", async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "gguf-bench-split-"));
  try {
    const { path: whole } = await synthesizeModel({
      arch: "llama",
      preset: "tiny",
      type: "f32",
      out: path.join(dir, "whole.gguf"),
    });
    const [first, second] = await splitInTwo(whole, path.join(dir, "tiny"));
    // llama.cpp itself refuses part 2 ("illegal split file idx: 1 … model must be loaded with the first split")
    const out = path.join(dir, "out");
    const run = await runCli(["run", second, ...SMALL_RUN, "--runs", "1", "--contexts", "256", "--out", out]);
    assert.equal(run.code, 0, run.stderr);
    const results = JSON.parse(await readFile(path.join(out, "results.json"), "utf8")) as RunResults;
    const [model] = results.models;
    assert.equal(model?.status, "ok", JSON.stringify(model?.errors));
    assert.equal(model?.file, first);
    assert.deepEqual(model?.info.files, [first, second]);

    const fromSecond = JSON.parse(
      (await runCli(["estimate", second, "--no-db", "--json", "--contexts", "512"])).stdout,
    );
    const fromWhole = JSON.parse((await runCli(["estimate", whole, "--no-db", "--json", "--contexts", "512"])).stdout);
    assert.equal(fromSecond.info.parameterCount, fromWhole.info.parameterCount);
    assert.equal(fromSecond.estimates[0].kvCacheBytes, fromWhole.estimates[0].kvCacheBytes);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
