import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import type { RunResults } from "../../src/results/types.ts";
import { tsxExecArgv } from "../../src/runner/workerEntry.ts";
import { tinyModel } from "../helpers/tinyModel.ts";
import { SMALL_RUN } from "./helpers.ts";

const mainPath = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));

test("SIGINT (Ctrl-C) during the second model: the first is kept, the second interrupted, exit code 1", async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "gguf-bench-sigint-"));
  try {
    const first = await tinyModel(dir, "first.gguf");
    const second = await tinyModel(dir, "second.gguf");
    const child = spawn(
      process.execPath,
      [
        ...tsxExecArgv(),
        mainPath,
        "run",
        first,
        second,
        ...SMALL_RUN,
        "--runs",
        "1",
        "--max-tokens",
        "8",
        "--contexts",
        "256",
        "--out",
        dir,
      ],
      { env: { ...process.env, CI: "true" }, stdio: ["ignore", "ignore", "pipe"] },
    );
    let stderr = "";
    let sent = false;
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
      // The second model has started loading: interrupt, as a terminal would (to the CLI process).
      if (!sent && /load · second\.gguf/.test(stderr)) {
        sent = true;
        child.kill("SIGINT");
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    assert.ok(sent, stderr);
    assert.equal(code, 1, stderr);
    const results = JSON.parse(await readFile(path.join(dir, "results.json"), "utf8")) as RunResults;
    assert.equal(results.interrupted, true);
    assert.ok(results.finishedAt);
    const [kept, interrupted] = results.models;
    assert.equal(results.models.length, 2);
    assert.deepEqual([kept?.status, kept?.process.outcome], ["ok", "ok"]);
    assert.equal(interrupted?.process.outcome, "interrupted");
    // Killed moments after its load began; whatever it streamed before is kept, and the stop, not the model, ended it.
    assert.equal(interrupted?.status, "interrupted");
    assert.equal(interrupted?.errors.at(-1)?.code, "interrupted");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
