/**
 * The quality stage against llama.cpp's llama-perplexity, side by side in one run: stories260K (F32, trained) as
 * the reference, its Q8_0 and Q4_0 quantizations (gguf-bench's own quantizer, byte-identical to llama-quantize's),
 * the same text and chunk size through both. Prints PPL and the KLD figures of each tool with the difference
 * (goals: PPL within 1%, mean KLD within 5%), the time per scored token of each, and the quality stage's peak RSS
 * beside a plain context window of the same size in the same child (its cost in memory).
 *
 *   npm run bench:quality -- [--model FILE] [--context N] [--text FILE] [--threads N]
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { findBuiltTool } from "../src/engines/enginePaths.ts";
import { DEFAULT_QUALITY_TEXT } from "../src/quality/defaultQualityText.ts";
import { runQuantize } from "../src/quantize/runQuantize.ts";
import { llamaPerplexity } from "../test/helpers/llamaPerplexity.ts";
import { ourQuality } from "../test/helpers/qualityRuns.ts";

const { values: args } = parseArgs({
  options: {
    model: { type: "string", default: fileURLToPath(new URL("../../shared/models/stories260K.gguf", import.meta.url)) },
    context: { type: "string", default: "512" },
    text: { type: "string" },
    threads: { type: "string", default: "1" },
  },
});
const binary = findBuiltTool("llama-perplexity");
if (!binary) {
  console.error("llama-perplexity is not built (gguf-bench engine build); nothing to compare with");
  process.exit(1);
}
const context = Number(args.context);
const threads = Number(args.threads);
const MiB = 1024 * 1024;
const pct = (ours: number, theirs: number) => `${(((ours - theirs) / theirs) * 100).toFixed(2)}%`;

const dir = await mkdtemp(path.join(os.tmpdir(), "gguf-bench-bench-quality-"));
try {
  const textFile = path.join(dir, "text.txt");
  await writeFile(textFile, args.text ? await readFile(args.text) : DEFAULT_QUALITY_TEXT);
  const files = await runQuantize({
    input: args.model,
    types: ["q8_0", "q4_0"],
    outDir: dir,
    quantizer: "gguf-bench",
    threads,
  });
  console.log(
    `${path.basename(args.model)}: context ${context}, threads ${threads}, text ${args.text ?? "built-in"}; load average ${os.loadavg()[0]?.toFixed(2)}`,
  );
  const ours = await ourQuality({
    reference: args.model,
    models: [args.model, ...files.map((f) => f.path)],
    textFile,
    context,
    threads,
    outDir: dir,
    plainContext: context,
  });
  if (ours.reference.status !== "ok") throw new Error(JSON.stringify(ours.reference));
  const base = path.join(dir, "llama-base.bin");
  const theirBase = await llamaPerplexity({ binary, model: args.model, textFile, context, threads, saveBase: base });
  console.log(
    `reference: ${ours.reference.chunks} chunks, ${ours.reference.scoredTokens} scored tokens, top ${ours.reference.topK} of ${ours.reference.vocabSize} kept, file ${(ours.reference.fileBytes / MiB).toFixed(1)} MiB, pass ${(ours.reference.durationMs / 1000).toFixed(1)} s`,
  );
  console.log(
    `reference PPL: gguf-bench ${ours.reference.perplexity.toFixed(4)} ± ${ours.reference.perplexityStandardError?.toFixed(4)}, llama-perplexity ${theirBase.perplexity.toFixed(4)} ± ${theirBase.perplexityStandardError.toFixed(4)} (${pct(ours.reference.perplexity, theirBase.perplexity)})`,
  );
  for (const model of ours.models) {
    const q = model.quality;
    if (q?.status !== "ok" || !q.kld) {
      console.log(`${path.basename(model.file)}: ${JSON.stringify(q)}`);
      continue;
    }
    const them = await llamaPerplexity({ binary, model: model.file, textFile, context, threads, base });
    const k = them.kld;
    if (!k) throw new Error("no KLD from llama-perplexity");
    console.log(`\n${path.basename(model.file)}                 gguf-bench      llama-perplexity  difference`);
    const row = (name: string, a: number, b: number, digits = 6) =>
      console.log(
        `  ${name.padEnd(22)} ${a.toFixed(digits).padStart(14)} ${b.toFixed(digits).padStart(17)}  ${b === 0 ? "-" : pct(a, b)}`,
      );
    row("PPL", q.perplexity, them.perplexity, 4);
    row("mean KLD (nats)", q.kld.meanNats, k.mean);
    row("KLD standard error", q.kld.standardErrorNats ?? Number.NaN, k.standardError);
    row("median KLD", q.kld.medianNats, k.median);
    row("99% KLD", q.kld.p99Nats, k.p99);
    row("max KLD", q.kld.maxNats, k.max);
    row("same top token", q.kld.sameTopFraction, k.sameTop, 4);
    row("RMS Δp", q.kld.rmsDeltaP, k.rmsDeltaP, 5);
    const theirMsPerToken = them.wallMs / q.scoredTokens;
    console.log(
      `  time per scored token: gguf-bench ${q.msPerScoredToken.toFixed(2)} ms (stage), llama-perplexity ${theirMsPerToken.toFixed(2)} ms (whole process, load included)`,
    );
    console.log(
      `  peak RSS: quality stage ${(q.peakRssBytes / MiB).toFixed(1)} MiB, plain ${context}-token context window ${model.peakAtContext === null ? "not measured" : `${(model.peakAtContext / MiB).toFixed(1)} MiB`} (same child)`,
    );
  }
  console.log(`\nload average at the end ${os.loadavg()[0]?.toFixed(2)}`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
