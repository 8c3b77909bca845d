/**
 * Fidelity of gguf-bench's speed figures: the same model, threads and settings measured through
 * `gguf-bench run` (runner + forked worker + memory sampler) and through a bare node-llama-cpp loop in this
 * process, interleaved round by round so machine load drifts hit both sides alike. Prints per-run prompt and
 * generation tokens/s for each side and the ratio gguf-bench / bare (goal: within 3%).
 *
 *   npm run bench:fidelity -- [--model FILE] [--threads N] [--rounds N] [--runs N] [--max-tokens N]
 *                              [--bare-warmup-tokens N] [--bare-worker-options] [--bare-fresh [--bare-fresh-like-worker]]
 *
 * Both sides are compared as warm as a long-running app: the bare side generates --bare-warmup-tokens (8192)
 * before round 1, the worker runs its own engine warm-up. Experiments: --bare-worker-options opens llama.cpp
 * and the context with the worker's own code (openBackend, createCaseContext); --bare-fresh runs each round's
 * bare loop in a fresh process warmed by --bare-warmup-tokens, and --bare-fresh-like-worker forks that process
 * with an IPC channel, tsx and --expose-gc and samples its /proc status every 50 ms, as the runner does.
 *
 * Without --model a llama "25m" Q8_0 model is synthesised in a temporary folder (removed after).
 * The bare loop uses the same definitions as the worker: prompt tokens/s = prompt tokens / time to first
 * token from the moment the tokens go in; generation tokens/s = (tokens − 1) / time from first to last token.
 */
import { execFile, fork } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs, promisify } from "node:util";
import { getLlama, LlamaLogLevel, type LlamaModel, type Token } from "node-llama-cpp";
import { synthesizeModel } from "../src/gguf/synthesize.ts";
import { STANDARD_PROMPTS } from "../src/prompts/standardPrompts.ts";
import type { InferenceSample, RunResults } from "../src/results/types.ts";
import { MemorySampler } from "../src/runner/memorySampler.ts";
import { median, summarize } from "../src/stats/summary.ts";
import { sampleMoments, welchTest } from "../src/stats/welch.ts";
import { createCaseContext } from "../src/worker/createCaseContext.ts";
import { LlamaLogSink } from "../src/worker/llamaLogSink.ts";
import { openBackend } from "../src/worker/openBackend.ts";

const { values: args } = parseArgs({
  options: {
    model: { type: "string" },
    threads: { type: "string", default: "1" },
    rounds: { type: "string", default: "6" },
    runs: { type: "string", default: "3" },
    "max-tokens": { type: "string", default: "64" },
    "bare-warmup-tokens": { type: "string", default: "8192" },
    // Experiment: open llama.cpp and create the bare side's context exactly as the worker does (no engine counters).
    "bare-worker-options": { type: "boolean", default: false },
    // Experiment: run each round's bare loop in a fresh process (warmed by --bare-warmup-tokens), like the worker.
    "bare-fresh": { type: "boolean", default: false },
    // With --bare-fresh: fork the child with an IPC channel and sample its /proc status every 50 ms, as the runner does.
    "bare-fresh-like-worker": { type: "boolean", default: false },
    // Internal: the fresh process of --bare-fresh (prints its speeds as JSON and exits).
    "bare-child": { type: "boolean", default: false },
  },
});
const threads = Number(args.threads);
const rounds = Number(args.rounds);
const runs = Number(args.runs);
const maxTokens = Number(args["max-tokens"]);
const bareWarmUpTokens = Number(args["bare-warmup-tokens"]);
const contextSize = 512;
const batchSize = 512;
const seed = 42;
const repo = fileURLToPath(new URL("..", import.meta.url));

type Speeds = { prompt: number[]; generation: number[] };
const engineLog: string[] = [];

if (args["bare-child"]) {
  if (!args.model) throw new Error("--bare-child needs --model");
  const { llama, model } = await openModel(args.model);
  const passTokens = STANDARD_PROMPTS.length * (runs + 1) * maxTokens;
  for (let pass = 0; pass < Math.max(1, Math.ceil(bareWarmUpTokens / passTokens)); pass++) await bareLoop(model);
  const result = await bareLoop(model);
  await model.dispose();
  await llama.dispose();
  process.stdout.write(JSON.stringify(result));
  process.exit(0);
}

const scratch = await mkdtemp(path.join(os.tmpdir(), "gguf-bench-fidelity-"));
try {
  const modelPath =
    args.model ??
    (
      await synthesizeModel({
        arch: "llama",
        preset: "25m",
        type: "q8_0",
        out: path.join(scratch, "llama-25m-q8_0.gguf"),
      })
    ).path;
  console.log(
    `model ${modelPath}; threads ${threads}; ${rounds} rounds × ${STANDARD_PROMPTS.length} prompts × (1 warm-up + ${runs} runs); ${maxTokens} tokens; context ${contextSize}, batch ${batchSize}, flash attention off, f16 KV; bare side warmed by ${bareWarmUpTokens} tokens`,
  );

  const { llama, model } = await openModel(modelPath);
  const freshBare = args["bare-fresh"];
  const runBare = () => (freshBare ? bareInFreshProcess(modelPath) : bareLoop(model));
  const tool: Speeds = { prompt: [], generation: [] };
  const bare: Speeds = { prompt: [], generation: [] };
  const engine: Speeds = { prompt: [], generation: [] };
  // Each round's two sides ran minutes apart at most: their ratio is paired against slow drifts in load.
  const roundRatios: Speeds = { prompt: [], generation: [] };
  // The worker warms node-llama-cpp's JavaScript up before timing (src/worker/engineWarmUp.ts) to stand for a
  // long-running app; this side does too, by whole passes of the bare loop, so that it is as warm from round 1.
  const passTokens = STANDARD_PROMPTS.length * (runs + 1) * maxTokens;
  const warmUpPasses = Math.max(1, Math.ceil(bareWarmUpTokens / passTokens));
  for (let pass = 0; pass < (freshBare ? 0 : warmUpPasses); pass++) await bareLoop(model);
  for (let round = 1; round <= rounds; round++) {
    // Alternate which side goes first, so a trend in the machine's load does not favour one side.
    const toolFirst = round % 2 === 1;
    const viaBareBefore = toolFirst ? null : await runBare();
    const viaTool = await throughGgufBench(modelPath, path.join(scratch, `round-${round}`));
    const viaBare = viaBareBefore ?? (await runBare());
    append(tool, viaTool);
    append(bare, viaBare.bare);
    append(engine, viaBare.engine);
    roundRatios.generation.push(mean(viaTool.generation) / mean(viaBare.bare.generation));
    roundRatios.prompt.push(mean(viaTool.prompt) / mean(viaBare.bare.prompt));
    console.log(
      `round ${round}: gen ${mean(viaTool.generation).toFixed(1)} vs ${mean(viaBare.bare.generation).toFixed(1)} tok/s; prompt ${mean(viaTool.prompt).toFixed(1)} vs ${mean(viaBare.bare.prompt).toFixed(1)} tok/s`,
    );
  }
  await model.dispose();
  await llama.dispose();
  // Other processes on the machine are the main source of noise: say how busy it was.
  const load = os.loadavg().map((value) => value.toFixed(2));
  console.log(`load average (1/5/15 min): ${load.join(" / ")} on ${os.availableParallelism()} cores`);
  report("generation tokens/s", tool.generation, bare.generation, engine.generation, roundRatios.generation);
  report("prompt tokens/s", tool.prompt, bare.prompt, engine.prompt, roundRatios.prompt);
} finally {
  await rm(scratch, { recursive: true, force: true });
}

async function openModel(modelPath: string) {
  // Info level: llama.cpp's own perf counters (printTimings) arrive through this logger.
  const llama = args["bare-worker-options"]
    ? (await openBackend(new LlamaLogSink(), false)).llama
    : await getLlama({
        gpu: false,
        build: "never",
        logLevel: LlamaLogLevel.info,
        logger: (_level, message) => engineLog.push(message),
      });
  const model = await llama.loadModel({ modelPath, useMmap: true, gpuLayers: 0 });
  return { llama, model };
}

async function bareInFreshProcess(modelPath: string): Promise<{ bare: Speeds; engine: Speeds }> {
  const childArgs = ["--import", "tsx", fileURLToPath(import.meta.url), "--bare-child", "--model", modelPath];
  childArgs.push("--threads", String(threads), "--runs", String(runs), "--max-tokens", String(maxTokens));
  childArgs.push("--bare-warmup-tokens", String(bareWarmUpTokens));
  if (args["bare-worker-options"]) childArgs.push("--bare-worker-options");
  if (!args["bare-fresh-like-worker"]) {
    const { stdout } = await promisify(execFile)(process.execPath, childArgs, {
      cwd: repo,
      maxBuffer: 16 * 1024 * 1024,
    });
    return JSON.parse(stdout) as { bare: Speeds; engine: Speeds };
  }
  const child = fork(childArgs[2] ?? "", childArgs.slice(3), {
    cwd: repo,
    execArgv: ["--import", "tsx", "--expose-gc"],
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  const sampler = child.pid === undefined ? null : new MemorySampler(child.pid);
  let stdout = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
  });
  child.stderr?.resume();
  await new Promise((resolve) => child.on("close", resolve));
  sampler?.stop();
  return JSON.parse(stdout) as { bare: Speeds; engine: Speeds };
}

async function throughGgufBench(modelPath: string, out: string): Promise<Speeds> {
  const cliArgs = ["--import", "tsx", path.join(repo, "src/cli/main.ts"), "run", modelPath];
  cliArgs.push(
    "--threads",
    String(threads),
    "--runs",
    String(runs),
    "--warmup",
    "1",
    "--max-tokens",
    String(maxTokens),
  );
  cliArgs.push(
    "--inference-context",
    String(contextSize),
    "--batch-size",
    String(batchSize),
    "--ubatch-size",
    String(batchSize),
  );
  cliArgs.push(
    "--contexts",
    "256",
    "--seed",
    String(seed),
    "--out",
    out,
    "--format",
    "json",
    "--no-db",
    "--no-bandwidth",
  );
  await promisify(execFile)(process.execPath, cliArgs, { cwd: repo, maxBuffer: 64 * 1024 * 1024 });
  const results = JSON.parse(await readFile(path.join(out, "results.json"), "utf8")) as RunResults;
  const samples: InferenceSample[] = (results.models[0]?.inference?.samples ?? []).filter((s) => !s.warmup);
  if (samples.length === 0) throw new Error(`gguf-bench run gave no inference samples (see ${out})`);
  return {
    // A rate that was not measured (null: an empty span) has no figure to compare.
    prompt: samples.flatMap((s) => s.promptTokensPerSecond ?? []),
    generation: samples.flatMap((s) => s.generationTokensPerSecond ?? []),
  };
}

/**
 * What a user would write with node-llama-cpp directly: one context, clear the history, evaluate, time.
 * Beside it, llama.cpp's own counters for the same runs (printTimings prints and resets them): decode time
 * only, no sampling or JavaScript, so they show the floor that any JS-level measurement sits above.
 */
async function bareLoop(model: LlamaModel): Promise<{ bare: Speeds; engine: Speeds }> {
  const workerOptions = args["bare-worker-options"];
  const context = workerOptions
    ? await createCaseContext(
        model,
        {
          threads,
          batchSize,
          ubatchSize: batchSize,
          flashAttention: false,
          kvCacheType: "f16",
          mmap: true,
          gpuLayers: 0,
          cache: "warm",
          engine: "node-llama-cpp",
        },
        contextSize,
        new LlamaLogSink(),
      )
    : await model.createContext({ contextSize, batchSize, threads, flashAttention: false, performanceTracking: true });
  const sequence = context.getSequence();
  const bare: Speeds = { prompt: [], generation: [] };
  const engine: Speeds = { prompt: [], generation: [] };
  for (const prompt of STANDARD_PROMPTS) {
    for (let run = -1; run < runs; run++) {
      await sequence.clearHistory();
      if (!workerOptions) await context.printTimings();
      const tokens: Token[] = [
        ...(model.tokens.bos === null ? [] : [model.tokens.bos]),
        ...model.tokenize(prompt.text),
      ];
      const start = performance.now();
      let first = start;
      let last = start;
      let count = 0;
      for await (const _ of sequence.evaluate(tokens, { temperature: 0, seed, yieldEogToken: true })) {
        last = performance.now();
        if (count === 0) first = last;
        if (++count >= maxTokens) break;
      }
      engineLog.length = 0;
      if (!workerOptions) await context.printTimings();
      if (run < 0) continue;
      bare.prompt.push((tokens.length * 1000) / (first - start));
      bare.generation.push(((count - 1) * 1000) / (last - first));
      if (workerOptions) continue;
      const counters = parsePerfCounters(engineLog.join("\n"));
      engine.prompt.push((counters.promptTokens * 1000) / counters.promptMs);
      engine.generation.push((counters.evalRuns * 1000) / counters.evalMs);
    }
  }
  await context.dispose();
  return { bare, engine };
}

/** llama_perf_context_print's "prompt eval time = X ms / N tokens" and "eval time = Y ms / M runs". */
function parsePerfCounters(text: string) {
  const prompt = /prompt eval time =\s*([\d.]+) ms \/\s*(\d+) tokens/.exec(text);
  const evaluation = /(?<!prompt )eval time =\s*([\d.]+) ms \/\s*(\d+) runs/.exec(text);
  if (!prompt || !evaluation) throw new Error(`llama.cpp perf counters not found in: ${text.slice(0, 300)}`);
  return {
    promptMs: Number(prompt[1]),
    promptTokens: Number(prompt[2]),
    evalMs: Number(evaluation[1]),
    evalRuns: Number(evaluation[2]),
  };
}

function append(into: Speeds, from: Speeds): void {
  into.prompt.push(...from.prompt);
  into.generation.push(...from.generation);
}

function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function report(metric: string, tool: number[], bare: number[], engine: number[], roundRatios: number[]): void {
  const a = summarize(tool);
  const b = summarize(bare);
  const meanRatio = a.mean / b.mean;
  const medianRatio = a.median / b.median;
  const welch = welchTest(sampleMoments(bare), sampleMoments(tool));
  console.log(`\n${metric} (n = ${a.n} per side)`);
  console.log(
    `  gguf-bench run : mean ${a.mean.toFixed(1)}  median ${a.median.toFixed(1)}  best ${a.max.toFixed(1)}  cv ${(a.cv * 100).toFixed(1)}%`,
  );
  console.log(
    `  bare loop      : mean ${b.mean.toFixed(1)}  median ${b.median.toFixed(1)}  best ${b.max.toFixed(1)}  cv ${(b.cv * 100).toFixed(1)}%`,
  );
  if (engine.length > 0) {
    const e = summarize(engine);
    console.log(
      `  llama.cpp's own counters (bare runs): mean ${e.mean.toFixed(1)}  median ${e.median.toFixed(1)}  best ${e.max.toFixed(1)}`,
    );
  }
  const verdict = (ratio: number) => (Math.abs(ratio - 1) <= 0.03 ? "within 3%" : "NOT within 3%");
  console.log(
    `  ratio gguf-bench / bare: mean ${meanRatio.toFixed(3)} (${verdict(meanRatio)}), median ${medianRatio.toFixed(3)} (${verdict(medianRatio)})`,
  );
  // Other processes only ever slow a run down, so the best run is the least disturbed estimate of each side.
  const bestRatio = a.max / b.max;
  console.log(`  ratio of the best runs: ${bestRatio.toFixed(3)} (${verdict(bestRatio)})`);
  const pairedRatio = median(roundRatios);
  console.log(`  median of the per-round ratios: ${pairedRatio.toFixed(3)} (${verdict(pairedRatio)})`);
  if (welch)
    console.log(`  Welch's t-test: p = ${welch.p.toFixed(3)} (a small p means the difference is more than noise)`);
}
