/**
 * Roofline of a 1B-shape model on this machine: synthesises a TinyLlama-1.1B-shaped model (random weights),
 * benchmarks it through `gguf-bench run` (its own child process, as a user would), measures this machine's
 * streaming read bandwidth, and prints measured generation tokens/s, the bandwidth, bytes read per token and
 * the fraction of the memory-bandwidth bound reached, per stage and context.
 *
 *   npm run bench:roofline -- [--type q4_0|q8_0] [--threads N] [--runs N] [--max-tokens N] [--contexts LIST]
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs, promisify } from "node:util";
import { activeWeightBytesFromInfo } from "../src/analysis/activeWeightBytes.ts";
import { rooflineFor } from "../src/analysis/roofline.ts";
import { measureBandwidthDetailed } from "../src/bandwidth/measureBandwidth.ts";
import { readEstimateInputs } from "../src/estimate/readEstimateInputs.ts";
import { activeWeightBytesFromTensors } from "../src/gguf/activeWeightBytes.ts";
import { synthesizeModel } from "../src/gguf/synthesize.ts";
import type { RunResults } from "../src/results/types.ts";

const { values: args } = parseArgs({
  options: {
    type: { type: "string", default: "q4_0" },
    threads: { type: "string", default: String(os.availableParallelism()) },
    runs: { type: "string", default: "3" },
    "max-tokens": { type: "string", default: "64" },
    contexts: { type: "string", default: "512,2048" },
  },
});
const type = args.type === "q8_0" ? "q8_0" : "q4_0";
const repo = fileURLToPath(new URL("..", import.meta.url));
const GB = 1e9;
const MiB = 1024 * 1024;

const scratch = await mkdtemp(path.join(os.tmpdir(), "gguf-bench-roofline-"));
try {
  const model = await synthesizeModel({
    arch: "llama",
    preset: "1b",
    type,
    out: path.join(scratch, `llama-1b-${type}.gguf`),
    overrides: { ctx: 4096 },
  });
  console.log(
    `model: synthetic llama 1b ${type}, ${(model.bytes / MiB).toFixed(1)} MiB, ${model.parameterCount} parameters`,
  );

  const out = path.join(scratch, "run");
  const cli = [
    "--import",
    "tsx",
    "src/cli/main.ts",
    "run",
    model.path,
    "--threads",
    args.threads,
    "--runs",
    args.runs,
    "--max-tokens",
    args["max-tokens"],
    "--contexts",
    args.contexts,
    "--inference-context",
    "512",
    "--out",
    out,
    "--format",
    "json",
    "--no-db",
  ];
  console.log(`gguf-bench ${cli.slice(3).join(" ")}`);
  const started = Date.now();
  await promisify(execFile)(process.execPath, cli, { cwd: repo, maxBuffer: 64 * MiB, timeout: 30 * 60_000 });
  console.log(`run took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const results = JSON.parse(await readFile(path.join(out, "results.json"), "utf8")) as RunResults;
  const result = results.models[0];
  if (!result || result.status === "failed") throw new Error(`the run failed: ${JSON.stringify(result?.errors)}`);

  // Measured again here, on its own, so the figure is not disturbed by the run's model still being in memory.
  const bandwidth = await measureBandwidthDetailed();
  if (!bandwidth) throw new Error("bandwidth could not be measured");
  const best = Math.max(bandwidth.singleThreadBytesPerSecond, bandwidth.multiThreadBytesPerSecond);
  console.log(
    `bandwidth: ${(best / GB).toFixed(1)} GB/s (best of ${bandwidth.passes} passes over ${bandwidth.bufferBytes / MiB} MiB; ` +
      `1 thread ${(bandwidth.singleThreadBytesPerSecond / GB).toFixed(1)} GB/s, ${bandwidth.threads} threads ` +
      `${(bandwidth.multiThreadBytesPerSecond / GB).toFixed(1)} GB/s); during the run: ` +
      `${((results.environment.memoryBandwidthBytesPerSecond ?? 0) / GB).toFixed(1)} GB/s`,
  );

  const { info, tensors } = await readEstimateInputs(model.path);
  const perTensor = activeWeightBytesFromTensors(tensors, info.moe, info.vocabSize);
  console.log(
    `weights read per token: ${(perTensor / MiB).toFixed(1)} MiB per tensor list ` +
      `(${(activeWeightBytesFromInfo(info) / MiB).toFixed(1)} MiB from the header summary); ` +
      `KV ${info.kvBytesPerToken?.f16} bytes per token of context; threads ${result.settings.threads}`,
  );
  console.log("stage         depth  measured tok/s  bytes/token  bound tok/s  fraction");
  for (const p of rooflineFor(result, best, { weightBytesPerToken: perTensor })) {
    const stage = p.contextSize === null ? "inference" : `context ${p.contextSize}`;
    console.log(
      `${stage.padEnd(13)} ${String(Math.round((p.bytesPerToken - perTensor) / (info.kvBytesPerToken?.f16 ?? 1))).padStart(5)}  ` +
        `${p.measuredTokensPerSecond.toFixed(2).padStart(14)}  ${(p.bytesPerToken / MiB).toFixed(1).padStart(8)} MiB` +
        `  ${p.boundTokensPerSecond.toFixed(1).padStart(11)}  ${(p.fraction * 100).toFixed(1).padStart(7)}%${p.exceeded ? "  EXCEEDED" : ""}`,
    );
  }
  const gen = result.inference?.summaries.generationTokensPerSecond;
  if (gen) {
    console.log(
      `inference generation: mean ${gen.mean.toFixed(2)} tok/s (n ${gen.n}, 95% CI ${gen.ci95Low.toFixed(2)}–${gen.ci95High.toFixed(2)}, cv ${(gen.cv * 100).toFixed(1)}%)`,
    );
  }
} finally {
  await rm(scratch, { recursive: true, force: true });
}
