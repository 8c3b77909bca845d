/**
 * `estimate` against measurement: synthesises models of several architectures, shapes and types, benchmarks each
 * through `gguf-bench run` at contexts 512–4096 (one child process per context, memory read from outside), with
 * flash attention off and on, and prints per point the predicted peak RSS (made with the measured case's own
 * pre-load RSS and prompt lengths, as `gguf-bench estimate` does from history) beside the measured peak RSS, with
 * the error and the KV cache the estimate counted, then the memory by phase (load, context, prompt) measured beside
 * predicted, so a point off the goal shows which part is off. Goal: within 5% everywhere.
 *
 *   npm run bench:estimate -- [--models SPEC,...] [--contexts LIST] [--flash-attention off|on|off,on] [--no-mmap]
 *                             [--allocator default|fixed]
 *
 * The prediction is what llama.cpp needs; glibc may keep more of the work buffers a prompt outgrows (its dynamic
 * mmap threshold; the estimate gives that bound apart). Each point prints both errors: against the prediction, and
 * beyond [prediction, prediction + bound]. `--allocator fixed` runs the measured processes with
 * GLIBC_TUNABLES=glibc.malloc.mmap_threshold=131072 (a fixed threshold: freed buffers go back to the kernel), which
 * measures llama.cpp's own need; the default measures what a process on stock glibc holds.
 *
 * A model SPEC is `arch:preset:type` as `run --what-if` takes it, optionally with shape overrides after a slash:
 * `gpt-oss:gpt-oss-20b:mxfp4_moe/layers=2` (keys: embd, layers, heads, kvHeads, headDim, ff, vocab, experts,
 * expertsUsed; several joined by `;`). `merges=N` with N > 0 writes a byte-level BPE tokenizer with N merges (as
 * llama 3 and qwen ship; at most vocab − 258) instead of the default SentencePiece one without merges:
 * `llama:tiny:q8_0/vocab=131072;merges=128000`.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs, promisify } from "node:util";
import { compareWithMeasured, type MeasuredComparisonRow } from "../src/estimate/compareWithMeasured.ts";
import { cpuRepackTypes } from "../src/estimate/cpuRepackTypes.ts";
import { estimateMemory, type MemoryEstimate } from "../src/estimate/estimateMemory.ts";
import { readEstimateInputs } from "../src/estimate/readEstimateInputs.ts";
import { type SynthTokenizerChoice, synthesizeModel } from "../src/gguf/synthesize.ts";
import type { ModelResult, RunResults } from "../src/results/types.ts";
import { parseWhatIf } from "../src/whatif/parseWhatIf.ts";

/**
 * Small shapes, so a run ends in minutes on a busy machine: k-quant mixes on a dense llama, and each architecture
 * whose cache or weights llama.cpp lays out differently — gemma3 (5 of 6 layers in a 128-token sliding window; 4 KV
 * heads so the window's saving shows in the total), gpt-oss (alternating window, MXFP4 experts repacked), deepseek2
 * (MLA: compressed K cache only), qwen3moe, and a dense f16 and a MoE q8_0 as before.
 */
const DEFAULT_MODELS = [
  "llama:25m:f16",
  "llama:25m:q4_k_m",
  "llama:25m:q6_k",
  "llama-moe:25m:q8_0",
  "qwen3moe:tiny:q4_k_m",
  "gemma3:tiny:q4_k_m/kvHeads=4",
  "gpt-oss:tiny:mxfp4_moe/embd=512;ff=512;experts=8",
  "deepseek2:tiny:q4_k_m",
];

const { values: args } = parseArgs({
  options: {
    models: { type: "string", default: DEFAULT_MODELS.join(",") },
    contexts: { type: "string", default: "512,1024,2048,4096" },
    "flash-attention": { type: "string", default: "off,on" },
    "no-mmap": { type: "boolean", default: false },
    allocator: { type: "string", default: "default" },
  },
});
if (args.allocator !== "default" && args.allocator !== "fixed") {
  throw new Error(`--allocator ${args.allocator}: expected default or fixed`);
}
/** The measured children's environment: stock glibc, or a fixed mmap threshold (no dynamic rise, no retention). */
const childEnv =
  args.allocator === "fixed" ? { ...process.env, GLIBC_TUNABLES: "glibc.malloc.mmap_threshold=131072" } : process.env;
const repo = fileURLToPath(new URL("..", import.meta.url));
const MiB = 1024 * 1024;
const GOAL_PERCENT = 5;
const signed = (percent: number) => `${percent >= 0 ? "+" : ""}${percent.toFixed(1)}%`;
const loadAverage = () => os.loadavg()[0]?.toFixed(2) ?? "?";

const SHAPE_KEYS = ["embd", "layers", "heads", "kvHeads", "headDim", "ff", "vocab", "experts", "expertsUsed"];

/** `arch:preset:type[/key=value;key=value]` → the what-if shape, its overrides and its tokenizer (`merges`). */
function parseSpec(spec: string) {
  const [what = "", extra = ""] = spec.split("/");
  const overrides: Record<string, number> = { ctx: 4096 };
  let tokenizer: SynthTokenizerChoice = { kind: "spm" };
  for (const pair of extra.split(/[;+]/).filter(Boolean)) {
    const [key = "", value = ""] = pair.split("=");
    if (![...SHAPE_KEYS, "merges"].includes(key) || !Number.isSafeInteger(Number(value))) {
      throw new Error(`${spec}: '${pair}' is not one of ${SHAPE_KEYS.join(", ")}, merges = an integer`);
    }
    if (key === "merges") tokenizer = Number(value) > 0 ? { kind: "bpe", merges: Number(value) } : { kind: "spm" };
    else overrides[key] = Number(value);
  }
  return { shape: parseWhatIf(what), overrides, tokenizer };
}

/**
 * Where the memory went, measured beside predicted (MiB): the load (after − before loading: weights, repack and
 * model bookkeeping), the context (after creating it − after the load: KV cache, output buffer, bookkeeping) and
 * the prompt (peak − after creating the context: the compute and work buffers the prompt's ubatches touch).
 */
function phases(
  estimate: MemoryEstimate,
  load: NonNullable<ModelResult["load"]>,
  context: Extract<ModelResult["contexts"][number], { status: "ok" }>,
): string {
  const mib = (measured: number, predicted: number) => `${(measured / MiB).toFixed(1)}/${(predicted / MiB).toFixed(1)}`;
  const loadPredicted = estimate.weightsFileBackedBytes + estimate.weightsAnonymousBytes + estimate.modelOverheadBytes;
  const contextPredicted = (estimate.kvCacheBytes ?? 0) + estimate.contextOverheadBytes;
  return (
    `measured/predicted MiB: load ${mib(load.after.vmRssBytes - load.before.vmRssBytes, loadPredicted)}, ` +
    `context ${mib((context.afterCreateRssBytes ?? Number.NaN) - load.after.vmRssBytes, contextPredicted)}, ` +
    `prompt ${mib((context.peakRssBytes ?? Number.NaN) - (context.afterCreateRssBytes ?? Number.NaN), estimate.computeResidentBytes ?? Number.NaN)}`
  );
}

/**
 * One error of every point, per flash-attention mode and over all: how many points lie within the goal, the worst
 * and the mean absolute error. `error` picks which: against the prediction, or beyond glibc's retention bound.
 */
function summarise(
  title: string,
  pointsByMode: ReadonlyMap<string, MeasuredComparisonRow[]>,
  error: "errorPercent" | "errorBeyondRetentionPercent",
): void {
  console.log(`${title}:`);
  const byMode = [...pointsByMode].map(([mode, rows]) => [mode, rows.map((row) => row[error])] as const);
  for (const [key, list] of [...byMode, ["all", byMode.flatMap(([, list]) => list)] as const]) {
    const worst = Math.max(...list.map(Math.abs));
    const within = list.filter((e) => Math.abs(e) <= GOAL_PERCENT).length;
    console.log(
      `  ${key}: ${within}/${list.length} points within ±${GOAL_PERCENT}%; worst ${worst.toFixed(1)}%; ` +
        `mean absolute ${(list.reduce((s, e) => s + Math.abs(e), 0) / list.length).toFixed(1)}%`,
    );
  }
}

const scratch = await mkdtemp(path.join(os.tmpdir(), "gguf-bench-estimate-"));
/** Every measured point beside its prediction, per flash-attention mode ("flash attention on"). */
const points = new Map<string, MeasuredComparisonRow[]>();
try {
  const flashModes = args["flash-attention"].split(",").map((mode) => mode.trim());
  console.log(
    `contexts ${args.contexts}; flash attention ${flashModes.join(" and ")}; mmap ${args["no-mmap"] ? "off" : "on"}; ` +
      `repacked on this CPU: ${cpuRepackTypes().join(", ") || "none"}; 1 run, no warm-up, 16 tokens generated; ` +
      `allocator ${args.allocator === "fixed" ? "glibc with a fixed mmap threshold of 128 KiB" : "stock glibc"}; ` +
      `1-minute load average at start ${loadAverage()}`,
  );
  console.log(
    "model                                     FA   context  KV MiB  predicted MiB  measured MiB   error  +glibc MiB  beyond  load",
  );
  for (const spec of args.models.split(",")) {
    const { shape, overrides, tokenizer } = parseSpec(spec);
    const file = path.join(scratch, `${spec.replace(/[^a-z0-9_.-]+/gi, "_")}.gguf`);
    await synthesizeModel({ ...shape, out: file, overrides, tokenizer });
    const { info, tensors } = await readEstimateInputs(file);
    for (const flash of flashModes) {
      // One process per context size, as `estimate` predicts one context in a fresh process: a run that measured
      // several sizes in a row would also carry what the allocator kept from the earlier ones.
      for (const contextSize of args.contexts.split(",")) {
        const out = path.join(scratch, `run-${path.basename(file)}-${flash}-${contextSize}`);
        const cli = ["--import", "tsx", "src/cli/main.ts", "run", file, "--runs", "1", "--warmup", "0"];
        cli.push("--max-tokens", "16", "--contexts", contextSize, "--inference-context", "256");
        cli.push("--flash-attention", flash, "--out", out, "--format", "json", "--no-db", "--no-bandwidth");
        // A long prompt on a busy machine can take many minutes: the point is memory, so give it time.
        cli.push("--timeout", "3600");
        if (args["no-mmap"]) cli.push("--no-mmap");
        // A failed case exits 1 but still writes results.json: its context is then not "ok" and is listed as such.
        await promisify(execFile)(process.execPath, cli, {
          cwd: repo,
          env: childEnv,
          maxBuffer: 64 * MiB,
          timeout: 65 * 60_000,
        }).catch((error: unknown) => {
          if (!existsSync(path.join(out, "results.json"))) throw error;
        });
        const results = JSON.parse(await readFile(path.join(out, "results.json"), "utf8")) as RunResults;
        const model = results.models[0];
        if (!model) throw new Error(`no result for ${spec}`);
        const prompt = model.contexts.find((c) => c.status === "ok")?.promptTokens;
        const [estimate] = estimateMemory(
          info,
          tensors,
          [Number(contextSize)],
          model.settings,
          { repackTypes: cpuRepackTypes(), runtimeBaselineBytes: 0 },
          (size) => prompt ?? size,
        );
        const kv = estimate?.kvCacheBytes;
        for (const row of compareWithMeasured(info, tensors, model, cpuRepackTypes())) {
          const key = `flash attention ${flash}`;
          points.set(key, [...(points.get(key) ?? []), row]);
          console.log(
            `${spec.padEnd(41)} ${flash.padEnd(3)} ${String(row.contextSize).padStart(8)}` +
              `  ${kv === null || kv === undefined ? "unknown" : (kv / MiB).toFixed(1).padStart(6)}` +
              `  ${(row.predictedBytes / MiB).toFixed(1).padStart(13)}  ${(row.measuredPeakRssBytes / MiB).toFixed(1).padStart(12)}` +
              `  ${signed(row.errorPercent).padStart(6)}  ${(row.allocatorRetentionBytes / MiB).toFixed(1).padStart(10)}` +
              `  ${signed(row.errorBeyondRetentionPercent).padStart(6)}  ${loadAverage()}`,
          );
        }
        for (const context of model.contexts) {
          if (context.status === "ok" && estimate && model.load) {
            console.log(`${"".padEnd(41)} ${phases(estimate, model.load, context)}`);
          }
          if (context.status !== "ok")
            console.log(`${spec.padEnd(41)} ${flash.padEnd(3)} ${contextSize.padStart(8)}  ${context.status}`);
        }
      }
    }
  }
  summarise("error against the prediction", points, "errorPercent");
  summarise(
    "error beyond [prediction, prediction + glibc's possible retention]",
    points,
    "errorBeyondRetentionPercent",
  );
  console.log(`1-minute load average at the end ${loadAverage()}`);
} finally {
  await rm(scratch, { recursive: true, force: true });
}
