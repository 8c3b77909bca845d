/**
 * Engines side by side on this machine, measured in one run:
 *
 * 1. A synthesised TinyLlama-1.1B-shaped model (random weights): prompt and generation tokens/s through
 *    `gguf-bench run --engine node-llama-cpp,llama-server` (in-process; llama-server as the client sees it and as
 *    its own `timings` say) and through `llama-bench` from the same llama.cpp build, with the same threads, batch,
 *    micro-batch, KV cache type and flash attention. llama-bench's pp runs the prompt length gguf-bench measured
 *    (at depth 0) and its tg the generated tokens at that depth, so both see the same work. Each round, the first
 *    included, runs llama-bench before AND after gguf-bench (A-B-A): the reference is the mean of the two, and
 *    their ratio (after ÷ before) is the noise floor of this machine in that round. The prompt length is known
 *    before the first round from the model's own tokenizer (llama-server's /tokenize) and checked in every round
 *    against what gguf-bench measured. Every figure is a ratio to the round's reference; over the rounds each ratio
 *    gets a 95% CI (summarize(): log-scale, positive values), and the goal (server-timed generation within 3% of
 *    llama-bench) is judged on that interval, not on a mean alone.
 * 2. A 300M shape on both engines at `--concurrency 1,2,4`: requests/s, aggregate output tokens/s, TTFT/ITL/E2E
 *    percentiles per level and where throughput stops rising.
 *
 *   npm run bench:engines -- [--type q4_0|q8_0] [--threads N] [--rounds N] [--runs N] [--max-tokens N]
 *                            [--concurrency LIST] [--requests N] [--skip-concurrency]
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs, promisify } from "node:util";
import { saturationLevel, servingOverhead } from "../src/analysis/engineComparison.ts";
import { findBuiltTool } from "../src/engines/enginePaths.ts";
import { llamaServerClient } from "../src/engines/llamaServerClient.ts";
import { startLlamaServer } from "../src/engines/llamaServerProcess.ts";
import { synthesizeModel } from "../src/gguf/synthesize.ts";
import { planCases } from "../src/plan/planCases.ts";
import { STANDARD_PROMPTS } from "../src/prompts/standardPrompts.ts";
import type { ModelResult, RunResults } from "../src/results/types.ts";
import { summarize } from "../src/stats/summary.ts";
import { parseRunOptions } from "../src/suite/parseRunOptions.ts";

const { values: args } = parseArgs({
  options: {
    type: { type: "string", default: "q4_0" },
    threads: { type: "string", default: String(os.availableParallelism()) },
    rounds: { type: "string", default: "2" },
    runs: { type: "string", default: "2" },
    "max-tokens": { type: "string", default: "32" },
    concurrency: { type: "string", default: "1,2,4" },
    requests: { type: "string", default: "8" },
    "skip-concurrency": { type: "boolean", default: false },
  },
});
const type = args.type === "q8_0" ? "q8_0" : "q4_0";
const rounds = Math.max(1, Number(args.rounds));
const repo = fileURLToPath(new URL("..", import.meta.url));
const MiB = 1024 * 1024;
const run = promisify(execFile);
const load = async () => (await readFile("/proc/loadavg", "utf8")).split(" ").slice(0, 3).join(" ");
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const f = (x: number | null, digits = 1) => (x === null ? "—" : x.toFixed(digits));

const llamaBench = findBuiltTool("llama-bench");
const llamaServer = findBuiltTool("llama-server");
if (!llamaBench || !llamaServer) {
  console.error("bench:engines: llama-bench and llama-server are not built: run `gguf-bench engine build`");
  process.exit(1);
}

/** `gguf-bench run` in its own process, as a user runs it; the parsed results.json. */
async function ggufBench(model: string, out: string, extra: string[]): Promise<RunResults> {
  const cli = ["--import", "tsx", "src/cli/main.ts", "run", model, "--engine", "node-llama-cpp,llama-server"];
  const flags = ["--threads", args.threads, "--contexts", "256", "--inference-context", "512", ...extra];
  const outFlags = ["--out", out, "--format", "json,md", "--no-db", "--no-bandwidth", "--timeout", "3600"];
  // Exit 1 when a model failed: its results.json says why, read below.
  await run(process.execPath, [...cli, ...flags, ...outFlags], {
    cwd: repo,
    maxBuffer: 64 * MiB,
    timeout: 4 * 3600_000,
  }).catch((error: { code?: number; stderr?: string }) => {
    if (error.code !== 1) throw new Error(`gguf-bench run failed: ${error.stderr ?? String(error)}`);
  });
  const results = JSON.parse(await readFile(path.join(out, "results.json"), "utf8")) as RunResults;
  for (const m of results.models)
    if (m.status === "failed") throw new Error(`${m.settings.engine} failed: ${JSON.stringify(m.errors)}`);
  return results;
}

interface BenchTest {
  n_prompt: number;
  n_gen: number;
  n_depth: number;
  avg_ts: number;
}

/** llama-bench with the run's settings: pp of `prompt` tokens at depth 0, tg of `gen` tokens at depth `prompt`. */
async function llamaBenchRound(model: string, prompt: number, gen: number): Promise<{ pp: number; tg: number }> {
  const flags = ["-m", model, "-t", args.threads, "-p", String(prompt), "-n", String(gen), "-d", `0,${prompt}`];
  const settings = ["-b", "512", "-ub", "512", "-fa", "off", "-ctk", "f16", "-ctv", "f16", "-ngl", "0"];
  const { stdout } = await run(llamaBench as string, [...flags, ...settings, "-r", args.runs, "-o", "json"], {
    maxBuffer: 16 * MiB,
    timeout: 20 * 60_000,
  });
  const tests = JSON.parse(stdout) as BenchTest[];
  const pp = tests.find((t) => t.n_prompt === prompt && t.n_gen === 0 && t.n_depth === 0);
  const tg = tests.find((t) => t.n_gen === gen && t.n_prompt === 0 && t.n_depth === prompt);
  if (!pp || !tg) throw new Error(`llama-bench gave no pp/tg line: ${stdout.slice(0, 500)}`);
  return { pp: pp.avg_ts, tg: tg.avg_ts };
}

/**
 * The prompt length gguf-bench's inference stage measures on `model`, known before it runs: each standard prompt
 * as the model's own tokens, BOS first when the model wants one (llama-server's /tokenize from the same llama.cpp
 * build, as the in-process engine counts them), the mean over the prompts (each runs equally often), rounded.
 */
async function standardPromptTokens(model: string): Promise<number> {
  // The settings `gguf-bench run --engine llama-server --threads N` starts it with (the tokenizer ignores them).
  const plan = planCases(1, parseRunOptions([model], { engine: "llama-server", threads: args.threads }).config.sweep);
  const settings = plan[0]?.cases[0];
  if (!settings) throw new Error("no llama-server case planned");
  const started = await startLlamaServer(llamaServer as string, { file: model, settings, contextSize: 512, slots: 1 });
  if (!started.ok) throw new Error(`llama-server did not start to tokenise the prompts: ${started.message}`);
  try {
    const client = llamaServerClient(started.server.baseUrl, 60_000);
    const counts: number[] = [];
    for (const prompt of STANDARD_PROMPTS) {
      const tokens = await client.tokenize(prompt.text, true);
      if (tokens === null) throw new Error("llama-server cannot tokenise (no /tokenize)");
      counts.push(tokens.length);
    }
    return Math.round(mean(counts));
  } finally {
    await started.server.stop();
  }
}

const byEngine = (r: RunResults, engine: string) => r.models.find((m) => m.settings.engine === engine) as ModelResult;
const speed = (m: ModelResult, key: "promptTokensPerSecond" | "generationTokensPerSecond") =>
  m.inference?.summaries[key].mean ?? Number.NaN;

const scratch = await mkdtemp(path.join(os.tmpdir(), "gguf-bench-engines-"));
try {
  const big = await synthesizeModel({
    arch: "llama",
    preset: "1b",
    type,
    out: path.join(scratch, `llama-1b-${type}.gguf`),
    overrides: { ctx: 4096 },
  });
  console.log(`model: synthetic llama 1b ${type}, ${f(big.bytes / MiB)} MiB; threads ${args.threads}`);
  console.log(`load average at start: ${await load()}`);
  const rows: Record<string, { pp: number[]; tg: number[] }> = {};
  const add = (name: string, pp: number, tg: number) => {
    rows[name] ??= { pp: [], tg: [] };
    rows[name].pp.push(pp);
    rows[name].tg.push(tg);
  };
  // llama-bench's own spread between two runs of the same command in one round: the resolution of every ratio.
  const noise = { pp: [] as number[], tg: [] as number[] };
  const promptTokens = await standardPromptTokens(big.path);
  const generated = Number(args["max-tokens"]);
  for (let round = 0; round < rounds; round++) {
    const flags = ["--runs", args.runs, "--max-tokens", args["max-tokens"]];
    const started = Date.now();
    // A-B-A: the reference is the mean of llama-bench just before and just after this round's gguf-bench.
    const before = await llamaBenchRound(big.path, promptTokens, generated);
    const results = await ggufBench(big.path, path.join(scratch, `round-${round}`), flags);
    const after = await llamaBenchRound(big.path, promptTokens, generated);
    const inProcess = byEngine(results, "node-llama-cpp");
    const server = byEngine(results, "llama-server");
    const timed = (inProcess.inference?.samples ?? []).filter((s) => !s.warmup);
    const measured = Math.round(mean(timed.map((s) => s.promptTokens)));
    if (measured !== promptTokens)
      throw new Error(
        `gguf-bench measured ${measured}-token prompts, /tokenize said ${promptTokens}: not the same work`,
      );
    noise.pp.push(after.pp / before.pp);
    noise.tg.push(after.tg / before.tg);
    const bench = { pp: (before.pp + after.pp) / 2, tg: (before.tg + after.tg) / 2 };
    const overhead = servingOverhead(server);
    const build = results.environment.nodeLlamaCppBuild ?? "unknown";
    add(
      `node-llama-cpp (${build})`,
      speed(inProcess, "promptTokensPerSecond"),
      speed(inProcess, "generationTokensPerSecond"),
    );
    add(
      "llama-server, client-timed",
      speed(server, "promptTokensPerSecond"),
      speed(server, "generationTokensPerSecond"),
    );
    add(
      "llama-server, server-timed",
      overhead?.serverPromptTokensPerSecond ?? Number.NaN,
      overhead?.serverGenerationTokensPerSecond ?? Number.NaN,
    );
    add("llama-bench", bench.pp, bench.tg);
    console.log(
      `round ${round + 1}: ${promptTokens}-token prompts, ${args["max-tokens"]} generated; serving overhead ` +
        `${f(overhead?.overheadMs ?? Number.NaN)} ms per request (${f((overhead?.overheadFraction ?? Number.NaN) * 100)}%); ` +
        `${f((Date.now() - started) / 1000)} s; load average ${await load()}`,
    );
  }
  const ref = rows["llama-bench"] as { pp: number[]; tg: number[] };
  const ratios = (xs: number[], refs: number[]) => summarize(xs.map((x, i) => x / (refs[i] as number)));
  const ci = (xs: number[], refs: number[]) => {
    const s = ratios(xs, refs);
    return s.n > 1 ? `${f(s.mean, 3)} [${f(s.ci95Low, 3)}, ${f(s.ci95High, 3)}]` : f(s.mean, 3);
  };
  console.log(
    "\nengine                         prompt tok/s  ×llama-bench (95% CI)   generation tok/s  ×llama-bench (95% CI)",
  );
  for (const [name, r] of Object.entries(rows))
    console.log(
      `${name.padEnd(30)} ${f(mean(r.pp)).padStart(12)}  ${ci(r.pp, ref.pp).padStart(21)}  ` +
        `${f(mean(r.tg)).padStart(16)}  ${ci(r.tg, ref.tg).padStart(21)}`,
    );
  const ones = noise.tg.map(() => 1);
  console.log(
    `${"llama-bench after ÷ before".padEnd(30)} ${"".padStart(12)}  ${ci(noise.pp, ones).padStart(21)}  ` +
      `${"".padStart(16)}  ${ci(noise.tg, ones).padStart(21)}`,
  );
  console.log(
    `(means over ${rounds} rounds; each ratio is per round, to the mean of llama-bench before and after; the last ` +
      "line is llama-bench against itself in the same round: this machine's noise floor)",
  );
  const server = rows["llama-server, server-timed"];
  if (server && rounds > 1) {
    const s = ratios(server.tg, ref.tg);
    const verdict =
      s.ci95Low >= 0.97 && s.ci95High <= 1.03
        ? "MET: the whole 95% CI lies within ±3%"
        : s.ci95High < 0.97
          ? "NOT MET: the whole 95% CI lies below −3%"
          : s.ci95Low > 1.03
            ? "exceeded: llama-server is faster than llama-bench beyond +3%"
            : "UNDECIDED at this resolution: the 95% CI crosses a ±3% bound (more rounds or a quieter machine)";
    console.log(
      `goal (llama-server generation within 3% of llama-bench): ×${f(s.mean, 3)} [${f(s.ci95Low, 3)}, ${f(s.ci95High, 3)}] — ${verdict}`,
    );
  }
  if (!args["skip-concurrency"]) {
    const mid = await synthesizeModel({
      arch: "llama",
      preset: "300m",
      type,
      out: path.join(scratch, `llama-300m-${type}.gguf`),
      overrides: { ctx: 4096 },
    });
    console.log(`\nmodel: synthetic llama 300m ${type}, ${f(mid.bytes / MiB)} MiB; concurrency ${args.concurrency}`);
    console.log(`load average at start: ${await load()}`);
    const conc = await ggufBench(mid.path, path.join(scratch, "concurrency"), [
      ...["--runs", "1", "--max-tokens", args["max-tokens"]],
      ...["--concurrency", args.concurrency, "--requests", args.requests],
    ]);
    console.log("engine          streams  req/s  out tok/s  TTFT p50/p90 ms  ITL p50 ms  E2E p50/p99 ms  errors");
    for (const m of conc.models) {
      for (const l of m.concurrency) {
        if (l.status !== "ok") {
          console.log(`${m.settings.engine.padEnd(15)} ${String(l.concurrency).padStart(7)}  ${l.status}`);
          continue;
        }
        console.log(
          `${m.settings.engine.padEnd(15)} ${String(l.concurrency).padStart(7)} ${f(l.requestsPerSecond, 2).padStart(6)} ` +
            `${f(l.outputTokensPerSecond).padStart(10)} ${`${f(l.ttftMs.p50, 0)}/${f(l.ttftMs.p90, 0)}`.padStart(16)} ` +
            `${f(l.itlMs.p50).padStart(11)} ${`${f(l.e2eMs.p50, 0)}/${f(l.e2eMs.p99, 0)}`.padStart(15)} ${l.errorCount}`,
        );
      }
      const sat = saturationLevel(m.concurrency);
      console.log(
        `${m.settings.engine}: aggregate output tokens/s ${sat.level === null ? (sat.stillRising ? "still rises" : "—") : `stops rising at ${sat.level} streams`}`,
      );
    }
  }
  console.log(`load average at end: ${await load()}`);
} catch (error) {
  console.error(`bench:engines: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await rm(scratch, { recursive: true, force: true });
}
