/**
 * `estimate` against measurement: synthesises models of several shapes and types, benchmarks each through
 * `gguf-bench run` at contexts 512–4096 (one child process per context, memory read from outside), and prints per
 * context the predicted peak RSS (made with the measured case's own pre-load RSS and prompt lengths, as
 * `gguf-bench estimate` does from history) beside the measured peak RSS, with the error. Goal: within 5%.
 *
 *   npm run bench:estimate -- [--models llama:25m:f16,llama:300m:q8_0,llama:1b:q4_0] [--contexts LIST]
 *                             [--flash-attention on|off] [--no-mmap]
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs, promisify } from "node:util";
import { compareWithMeasured } from "../src/estimate/compareWithMeasured.ts";
import { cpuRepackTypes } from "../src/estimate/cpuRepackTypes.ts";
import { readEstimateInputs } from "../src/estimate/readEstimateInputs.ts";
import { synthesizeModel } from "../src/gguf/synthesize.ts";
import type { RunResults } from "../src/results/types.ts";
import { parseWhatIf } from "../src/whatif/parseWhatIf.ts";

const { values: args } = parseArgs({
  options: {
    models: { type: "string", default: "llama:25m:f16,llama:300m:q8_0,llama:1b:q4_0,llama-moe:25m:q8_0" },
    contexts: { type: "string", default: "512,1024,2048,4096" },
    "flash-attention": { type: "string", default: "off" },
    "no-mmap": { type: "boolean", default: false },
  },
});
const repo = fileURLToPath(new URL("..", import.meta.url));
const MiB = 1024 * 1024;
const GOAL_PERCENT = 5;

const scratch = await mkdtemp(path.join(os.tmpdir(), "gguf-bench-estimate-"));
const errors: number[] = [];
try {
  console.log(
    `contexts ${args.contexts}; flash attention ${args["flash-attention"]}; mmap ${args["no-mmap"] ? "off" : "on"}; ` +
      `repacked on this CPU: ${cpuRepackTypes().join(", ") || "none"}; 1 run, no warm-up, 16 tokens generated`,
  );
  console.log("model                  context  predicted MiB  measured MiB   error");
  for (const spec of args.models.split(",")) {
    const shape = parseWhatIf(spec);
    const file = path.join(scratch, `${shape.arch}-${shape.preset}-${shape.type}.gguf`);
    await synthesizeModel({ ...shape, out: file, overrides: { ctx: 4096 } });
    const { info, tensors } = await readEstimateInputs(file);
    // One process per context size, as `estimate` predicts one context in a fresh process: a run that measured
    // several sizes in a row would also carry what the allocator kept from the earlier ones.
    for (const contextSize of args.contexts.split(",")) {
      const out = path.join(scratch, `run-${shape.arch}-${shape.preset}-${shape.type}-${contextSize}`);
      const cli = ["--import", "tsx", "src/cli/main.ts", "run", file, "--runs", "1", "--warmup", "0"];
      cli.push("--max-tokens", "16", "--contexts", contextSize, "--inference-context", "256");
      cli.push("--flash-attention", args["flash-attention"], "--out", out, "--format", "json", "--no-db");
      cli.push("--no-bandwidth");
      if (args["no-mmap"]) cli.push("--no-mmap");
      await promisify(execFile)(process.execPath, cli, { cwd: repo, maxBuffer: 64 * MiB, timeout: 30 * 60_000 });
      const results = JSON.parse(await readFile(path.join(out, "results.json"), "utf8")) as RunResults;
      const model = results.models[0];
      if (!model) throw new Error(`no result for ${spec}`);
      for (const row of compareWithMeasured(info, tensors, model, cpuRepackTypes())) {
        errors.push(row.errorPercent);
        console.log(
          `${spec.padEnd(22)} ${String(row.contextSize).padStart(7)}  ${(row.predictedBytes / MiB).toFixed(1).padStart(13)}` +
            `  ${(row.measuredPeakRssBytes / MiB).toFixed(1).padStart(12)}  ${row.errorPercent >= 0 ? "+" : ""}${row.errorPercent.toFixed(1)}%`,
        );
      }
      for (const context of model.contexts) {
        if (context.status !== "ok") console.log(`${spec.padEnd(22)} ${contextSize.padStart(7)}  ${context.status}`);
      }
    }
  }
  const worst = Math.max(...errors.map(Math.abs));
  const within = errors.filter((e) => Math.abs(e) <= GOAL_PERCENT).length;
  console.log(
    `${within}/${errors.length} points within ±${GOAL_PERCENT}%; worst ${worst.toFixed(1)}%; ` +
      `mean absolute ${(errors.reduce((s, e) => s + Math.abs(e), 0) / errors.length).toFixed(1)}%`,
  );
} finally {
  await rm(scratch, { recursive: true, force: true });
}
