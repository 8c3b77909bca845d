/**
 * llama.cpp's own llama-perplexity (built from node-llama-cpp's bundled source) run on the same text and chunk
 * size as gguf-bench's quality stage, for the agreement test and scripts/bench-quality.ts. Single sequence
 * (`-b` = `-c`), so each chunk is one batch as in gguf-bench.
 */
import { spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export interface LlamaPerplexityRun {
  perplexity: number;
  perplexityStandardError: number;
  /** Only with --kl-divergence. */
  kld: {
    mean: number;
    standardError: number;
    median: number;
    p99: number;
    max: number;
    rmsDeltaP: number;
    sameTop: number;
  } | null;
  wallMs: number;
}

/** Output goes to a file: through a pipe, llama.cpp's log thread can lose its last lines at exit (seen here). */
function run(binary: string, args: string[]): Promise<{ code: number | null; output: string; wallMs: number }> {
  const started = performance.now();
  const dir = mkdtempSync(path.join(os.tmpdir(), "gguf-bench-llama-perplexity-"));
  const logFile = path.join(dir, "output.txt");
  const fd = openSync(logFile, "w");
  return new Promise((resolve) => {
    const child = spawn(binary, args, { stdio: ["ignore", fd, fd] });
    let done = false;
    const finish = (code: number | null) => {
      if (done) return;
      done = true;
      closeSync(fd);
      const output = readFileSync(logFile, "utf8");
      rmSync(dir, { recursive: true, force: true });
      resolve({ code, output, wallMs: performance.now() - started });
    };
    child.on("error", () => finish(null));
    child.on("close", (code) => finish(code));
  });
}

const MAX_ATTEMPTS = 4;

function number(output: string, pattern: RegExp, what: string): number {
  const match = pattern.exec(output);
  if (!match?.[1]) throw new Error(`llama-perplexity printed no ${what}:\n${output.slice(-2000)}`);
  return Number(match[1]);
}

/**
 * Perplexity of `model` over `textFile` in `context`-token chunks; with `base` absent the model's distributions are
 * saved to `saveBase` (--kl-divergence-base), with `base` given the KL divergence against it is computed.
 */
export async function llamaPerplexity(options: {
  binary: string;
  model: string;
  textFile: string;
  context: number;
  threads: number;
  saveBase?: string;
  base?: string;
}): Promise<LlamaPerplexityRun> {
  const args = ["-m", options.model, "-c", String(options.context), "-b", String(options.context)];
  args.push("-t", String(options.threads), "--no-warmup");
  if (options.base) args.push("--kl-divergence-base", options.base, "--kl-divergence");
  else args.push("-f", options.textFile, ...(options.saveBase ? ["--kl-divergence-base", options.saveBase] : []));
  // llama.cpp's logger writes from a thread the process does not wait for at exit (llama.cpp issue 22142): on a
  // busy machine the last lines, the ones with the results, are sometimes lost. Run again when they are missing.
  let attempt = 0;
  let ran = await run(options.binary, args);
  const finished = (text: string) => (options.base ? /Same top p:/ : /Final estimate:/).test(text);
  while (ran.code === 0 && !finished(ran.output) && ++attempt < MAX_ATTEMPTS) ran = await run(options.binary, args);
  const { code, output, wallMs } = ran;
  if (code !== 0) throw new Error(`llama-perplexity exited ${code}:\n${output.slice(-2000)}`);
  if (!options.base) {
    return {
      perplexity: number(output, /Final estimate: PPL = ([\d.]+)/, "final estimate"),
      perplexityStandardError: number(output, /Final estimate: PPL = [\d.]+ \+\/- ([\d.]+)/, "standard error"),
      kld: null,
      wallMs,
    };
  }
  return {
    perplexity: number(output, /Mean PPL\(Q\)\s*:\s*([\d.]+)/, "Mean PPL(Q)"),
    perplexityStandardError: number(output, /Mean PPL\(Q\)\s*:\s*[\d.]+ ±\s*([\d.]+)/, "PPL standard error"),
    kld: {
      mean: number(output, /Mean\s+KLD:\s*(-?[\d.]+)/, "mean KLD"),
      standardError: number(output, /Mean\s+KLD:\s*-?[\d.]+ ±\s*([\d.]+)/, "KLD standard error"),
      median: number(output, /Median\s+KLD:\s*(-?[\d.]+)/, "median KLD"),
      p99: number(output, /99\.0%\s+KLD:\s*(-?[\d.]+)/, "99% KLD"),
      max: number(output, /Maximum KLD:\s*(-?[\d.]+)/, "maximum KLD"),
      rmsDeltaP: number(output, /RMS Δp\s*:\s*([\d.]+)/, "RMS Δp") / 100,
      sameTop: number(output, /Same top p:\s*([\d.]+)/, "same top p") / 100,
    },
    wallMs,
  };
}
