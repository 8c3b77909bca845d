import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { DEFAULT_QUALITY_TEXT } from "../../src/quality/defaultQualityText.ts";
import { readReferenceFile } from "../../src/quality/readReferenceFile.ts";
import { loadResultsFile } from "../../src/results/loadResultsFile.ts";
import type { QualityMeasured } from "../../src/results/types.ts";
import { runCli } from "./helpers.ts";

const storiesPath = fileURLToPath(new URL("../../../shared/models/stories260K.gguf", import.meta.url));
const haveStories = existsSync(storiesPath);
const randomPath = fileURLToPath(new URL("../../../shared/models/llama-2-tiny-random.gguf", import.meta.url));

/** A short quality text and small chunks keep the stage to seconds on a tiny model. */
const QUICK = ["--quality-context", "128", "--runs", "1", "--warmup", "0", "--max-tokens", "4", "--threads", "1"];
const QUICK_MORE = ["--contexts", "256", "--inference-context", "256", "--no-db", "--no-bandwidth", "--format", "json"];

test("quantize stories260K to q8_0 and q4_0, then run --quality --reference: PPL of each, KLD(q8_0) < KLD(q4_0)", async (t) => {
  if (!haveStories) return t.skip(`stories260K.gguf not found at ${storiesPath} (the shared tiny models are absent)`);
  const dir = await mkdtemp(path.join(os.tmpdir(), "gguf-bench-quality-e2e-"));
  try {
    const quantized = await runCli(["quantize", storiesPath, "--types", "q8_0,q4_0", "--out", dir]);
    assert.equal(quantized.code, 0, quantized.stderr);
    assert.match(quantized.stdout, /^q8_0: .*, (llama-quantize|gguf-bench)\)$/m);
    const q8 = path.join(dir, "stories260K-Q8_0.gguf");
    const q4 = path.join(dir, "stories260K-Q4_0.gguf");
    const text = path.join(dir, "text.txt");
    await writeFile(text, DEFAULT_QUALITY_TEXT.slice(0, 3000));
    const out = path.join(dir, "run");
    const models = [q8, q4, ...(existsSync(randomPath) ? [randomPath] : [])];
    const run = await runCli([
      "run",
      ...models,
      "--what-if",
      "llama:tiny:q8_0",
      "--quality",
      "--reference",
      storiesPath,
      "--quality-text",
      text,
      ...QUICK,
      ...QUICK_MORE,
      "--format",
      "md,json",
      "--out",
      out,
    ]);
    const results = await loadResultsFile(path.join(out, "results.json"));

    const quality = results.config.quality;
    assert.ok(quality?.reference?.outcome?.status === "ok", JSON.stringify(quality));
    const outcome = quality.reference.outcome;
    assert.equal(quality.contextSize, 128);
    assert.equal(outcome.vocabSize, 512);
    assert.equal(outcome.topK, 512); // the whole vocabulary: exact KL divergence
    assert.equal(outcome.scoredTokens, outcome.chunks * (128 - 1 - 64));
    assert.ok(outcome.perplexity > 1 && outcome.perplexity < 100, `reference PPL ${outcome.perplexity}`);
    assert.equal(await readFile(path.join(out, "quality-text.txt"), "utf8"), DEFAULT_QUALITY_TEXT.slice(0, 3000));
    const reference = readReferenceFile(path.join(out, "quality-reference.bin"));
    assert.equal(reference.header.chunks, outcome.chunks);
    reference.close();

    const measured = (file: string): QualityMeasured => {
      const model = results.models.find((m) => m.file === file);
      assert.ok(model?.quality?.status === "ok", `${file}: ${JSON.stringify(model?.quality)}`);
      return model.quality;
    };
    const a = measured(q8);
    const b = measured(q4);
    for (const q of [a, b]) {
      assert.equal(q.tokensFrom, "reference");
      assert.equal(q.scoredTokens, outcome.scoredTokens);
      assert.ok(q.perplexity > 1 && Number.isFinite(q.perplexity));
      assert.ok(q.perplexityStandardError !== null && q.perplexityStandardError > 0);
      assert.ok(q.durationMs > 0 && q.peakRssBytes > 0);
      assert.ok(q.kld && q.kld.referenceLabel === "stories260K.gguf");
    }
    assert.ok(a.kld && b.kld);
    assert.ok(
      a.kld.meanNats > 0 && a.kld.meanNats < b.kld.meanNats,
      `KLD q8_0 ${a.kld.meanNats} q4_0 ${b.kld.meanNats}`,
    );
    assert.ok(a.kld.sameTopFraction >= b.kld.sameTopFraction);
    assert.ok(Math.abs(a.perplexity - outcome.perplexity) < Math.abs(b.perplexity - outcome.perplexity) + 0.5);

    // The report: the trade-off table against the reference with each file's Pareto marks, and the pick.
    const md = await readFile(path.join(out, "report.md"), "utf8");
    assert.match(md, /### Speed, memory and quality against stories260K\.gguf/);
    assert.match(
      md,
      /\| Model +\| File size \| Mean KLD \| +PPL \| Generation tokens\/s \| Peak memory \| Pareto: KLD vs speed \| Pareto: KLD vs memory \|/,
    );
    for (const name of ["stories260K-Q8\\\\_0\\.gguf", "stories260K-Q4\\\\_0\\.gguf"])
      assert.match(md, new RegExp(`\\| ${name}( \\(recommended\\))? +\\|.*\\| (yes|no) +\\| (yes|no) +\\|`));
    assert.match(md, /Recommended: stories260K-Q8\\_0\.gguf — the smallest file within the quality budget/);
    assert.match(md, /synthetic model: its weights are random, so there is no quality to lose/);

    const synthetic = results.models.find((m) => m.synthetic);
    assert.equal(synthetic?.quality?.status, "skipped");
    if (existsSync(randomPath)) {
      const other = results.models.find((m) => m.file === randomPath);
      assert.ok(other?.quality?.status === "error");
      assert.equal(other.quality.code, "vocab-mismatch");
      assert.match(
        run.stderr,
        /quality of llama-2-tiny-random\.gguf: .*different vocabularies \(32000 tokens against 512\)/,
      );
      assert.equal(run.code, 1, "a quality error makes the run exit 1");
    } else assert.equal(run.code, 0, run.stderr);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("run --quality without a reference: perplexity on the model's own tokens; bad --reference is a usage error", async (t) => {
  if (!haveStories) return t.skip(`stories260K.gguf not found at ${storiesPath} (the shared tiny models are absent)`);
  const dir = await mkdtemp(path.join(os.tmpdir(), "gguf-bench-quality-ppl-"));
  try {
    const text = path.join(dir, "text.txt");
    await writeFile(text, DEFAULT_QUALITY_TEXT.slice(0, 3000));
    const run = await runCli(["run", storiesPath, "--quality-text", text, ...QUICK, ...QUICK_MORE, "--out", dir]);
    assert.equal(run.code, 0, run.stderr);
    const [model] = (await loadResultsFile(path.join(dir, "results.json"))).models;
    assert.ok(model?.quality?.status === "ok", JSON.stringify(model?.quality));
    assert.equal(model.quality.tokensFrom, "model");
    assert.equal(model.quality.kld, null);
    assert.ok(model.quality.perplexity > 1);

    const bad = await runCli(["run", storiesPath, "--reference", text, "--out", path.join(dir, "x")]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^gguf-bench: --reference .*text\.txt: /m);
    const short = await runCli(["run", storiesPath, "--quality-text", path.join(dir, "missing.txt")]);
    assert.equal(short.code, 2);
    assert.match(short.stderr, /--quality-text .*missing\.txt: cannot read it \(ENOENT\)/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
