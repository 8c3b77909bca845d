import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { test } from "node:test";
import { renderMarkdown } from "../../src/report/renderMarkdown.ts";
import type { ContextResult } from "../../src/results/types.ts";
import { buildModel, buildRun, okContext } from "../helpers/resultsBuilder.ts";
import { fixtureRuns, markdownSection } from "./reportFixtures.ts";

const GOLDEN = new URL("../fixtures/results/golden/report.md.golden", import.meta.url);

test("golden: the merged fixture report matches the committed Markdown (UPDATE_GOLDEN=1 rewrites it)", () => {
  const markdown = renderMarkdown(fixtureRuns());
  if (process.env.UPDATE_GOLDEN === "1") writeFileSync(GOLDEN, markdown);
  assert.equal(markdown, readFileSync(GOLDEN, "utf8"));
});

test("renders the same report twice (pure)", () => {
  assert.equal(renderMarkdown(fixtureRuns()), renderMarkdown(fixtureRuns()));
});

/** Independent least squares over the OK contexts' peak RSS: slope in bytes per token, intercept in bytes. */
function leastSquares(contexts: ContextResult[]): { slope: number; intercept: number } {
  const ok = contexts.flatMap((c) =>
    c.status === "ok" && c.peakRssBytes !== null ? [[c.contextSize, c.peakRssBytes] as const] : [],
  );
  const mx = ok.reduce((a, [x]) => a + x, 0) / ok.length;
  const my = ok.reduce((a, [, y]) => a + y, 0) / ok.length;
  const sxy = ok.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0);
  const sxx = ok.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  return { slope: sxy / sxx, intercept: my - (sxy / sxx) * mx };
}
const slopeGiBPerK = (contexts: ContextResult[]) => (leastSquares(contexts).slope * 1024) / 1024 ** 3;
const interceptGiB = (contexts: ContextResult[]) => leastSquares(contexts).intercept / 1024 ** 3;

test("numbers land in the right sections", () => {
  const runs = fixtureRuns();
  const md = renderMarkdown(runs);
  const [runA] = runs;
  assert.ok(runA);
  const llama = runA.models[0];
  assert.ok(llama);

  const dense = markdownSection(md, "Llama-3.2-1B-Instruct-Q4\\_0.gguf (threads 2)");
  assert.match(dense, /\| Layers +\| 16 +\|/);
  assert.match(dense, /Not a mixture-of-experts model/);
  assert.match(dense, /\| Frequency base +\| 500,000 +\|/);
  const last = llama.contexts[4];
  assert.ok(last && last.status === "ok");
  assert.match(dense, new RegExp(`\\| +8,192 \\| ok +\\| +6,144 \\| +64 \\| +${(last.totalMs / 1000).toFixed(2)} \\|`));
  assert.match(dense, /Trained for 131,072 tokens ≈ 98,304 words ≈ 197 pages/);
  assert.match(dense, /First decode took 1,630 ms after a 413 ms load: mmap defers page faults/);
  const gen = llama.inference?.summaries.generationTokensPerSecond;
  assert.ok(gen);
  assert.match(dense, new RegExp(`\\| Generation speed \\(tokens/s\\) +\\| +6 \\| +${gen.mean.toFixed(2)} \\|`));

  const moe = markdownSection(md, "synthetic-moe-4x-q8\\_0 (synthetic) (threads 2)");
  assert.match(moe, /\| Expert utilization \(used \/ total\) \| 50\.0% +\|/);
  assert.match(moe, /\| Active parameters per token +\| 304\.6 M \(59\.5% of all\) \|/);
  assert.doesNotMatch(moe, /100%/);
  assert.match(moe, /Synthetic model: random weights/);

  const partial = markdownSection(md, "TinyLlama-1.1B-Chat-v0.3-Q8\\_0.gguf (threads 2)");
  assert.match(partial, /\| +2,048 \| error +\|( +— \|){8} context-alloc-failed: failed to create a context/);
  assert.match(partial, /\| +4,096 \| skipped \|/);
  assert.match(partial, /2 of 5 context sizes ran OK; 1 failed, 2 skipped/);

  const crashed = markdownSection(md, "gemma-2-2b-it-Q4\\_K\\_M.gguf (threads 2)");
  assert.match(crashed, /process crash \(SIGSEGV\)/);
  assert.match(crashed, /No memory fit: 0 context size\(s\) ran OK; a fit needs at least 2/);

  const tradeOffs = markdownSection(md, "Memory vs context trade-offs");
  const slope = slopeGiBPerK(llama.contexts).toFixed(4);
  assert.match(
    tradeOffs,
    new RegExp(`\\| Llama-3\\.2-1B-Instruct-Q4\\\\_0\\.gguf \\(threads 2\\) +\\| +5 \\| +[0-9.]+ \\| +${slope} \\|`),
  );
  assert.match(tradeOffs, /gemma.*\| +0 \|.*no fit/);

  const buffers = markdownSection(md, "Memory buffer sizes");
  assert.match(
    buffers,
    new RegExp(`Llama-3\\.2-1B-Instruct-Q4\\\\_0\\.gguf \\(threads 2\\): [0-9.]+ GiB \\+ ${slope} GiB/1K tokens`),
  );

  const rec = markdownSection(md, "Recommendations");
  const recommended = (useCase: string) =>
    rec.split("\n").find((line) => line.startsWith(`| ${useCase}`)) ?? assert.fail(`no row for ${useCase}`);
  assert.match(recommended("Very long content (&gt; 131K tokens, judged at 262,144 tokens)"), /\| none +\| no model/);
  assert.match(
    recommended("Long-form content (32K–131K tokens, judged at 131,072 tokens)"),
    /\| Llama-3\.2-1B-Instruct-Q4\\_0\.gguf \(threads 2\) +\| 14\.19 generation tokens\/s/,
  );
  assert.match(
    recommended("Medium-form content (2K–32K tokens, judged at 32,768 tokens)"),
    /\| synthetic-moe-4x-q8\\_0 \(synthetic\) \(threads 2\) +\| /,
  );
  assert.match(
    markdownSection(rec, "Not eligible, per use case"),
    /- TinyLlama-1\.1B-Chat-v0\.3-Q8\\_0\.gguf \(threads 2\) — context of 2,048 tokens failed \(context-alloc-failed\)/,
  );
  // Memory to plan for: the inference stage's peak at 2,048 tokens, above the context stage's there, as a lower
  // bound; the fit beyond the sizes
  // measured, said to be extrapolated from how many points over which range; flagged beyond the training context.
  const plan = markdownSection(rec, "Memory to plan for");
  const fitAt = (contextTokens: number) =>
    (slopeGiBPerK(llama.contexts) * contextTokens) / 1024 + interceptGiB(llama.contexts);
  assert.match(
    plan,
    new RegExp(
      `\\| Llama-3\\.2-1B-Instruct-Q4\\\\_0\\.gguf \\(threads 2\\) +\\| +[0-9.]+ \\(at least the peak measured at 2,048 tokens \\(inference stage\\)\\) \\| +${fitAt(32768).toFixed(2)} \\(extrapolated from 5 points over 512–8,192 tokens\\) \\|`,
    ),
  );
  assert.match(
    plan,
    /\| TinyLlama.*\| +1\.93 \(beyond training context, extrapolated from 2 points over 512–1,024 tokens\) \|.*\| +1\.19 \(2K tokens, at least the peak measured at 2,048 tokens \(inference stage\)\) \|/,
  );
  assert.match(
    plan,
    new RegExp(
      `\\| +${fitAt(131072).toFixed(2)} \\(128K tokens, extrapolated from 5 points over 512–8,192 tokens\\) \\|`,
    ),
  );
  assert.match(plan, /gemma.*\| no fit: 0 context size\(s\) ran OK/);
  // Synthetic is said once per name, never twice.
  assert.doesNotMatch(md, /\(synthetic\)( \(threads \d\))? \(synthetic\)/);

  const failures = markdownSection(md, "Failures");
  assert.match(failures, /\| inference \| crash +\| crash \(SIGSEGV\) \|/);
  assert.match(failures, /\| contexts +\| context-alloc-failed \|/);

  // Only the setting that varied across the merged runs gets a column.
  const models = markdownSection(md, "Models tested");
  assert.match(models, /\| Threads \|/);
  assert.doesNotMatch(models, /KV cache type|Batch size|mmap/);
});

test("hostile metadata is escaped: no raw HTML, no table-breaking pipes or newlines", () => {
  const md = renderMarkdown(fixtureRuns());
  assert.ok(!md.includes("<script>"));
  assert.ok(!md.includes("<img"));
  assert.ok(!md.includes("<i>"));
  assert.match(md, /&lt;script&gt;alert\(1\)&lt;\/script&gt; \\\| \\`rm -rf \/\\` \\\| =HYPERLINK/);
  // Every table row of the models table has the same number of unescaped pipes as its header.
  const table = markdownSection(md, "Models tested")
    .split("\n")
    .filter((line) => line.startsWith("|"));
  const cells = (line: string) => line.replace(/\\\|/g, "").split("|").length;
  for (const line of table) assert.equal(cells(line), cells(table[0] as string), line);
});

test("a single run without sweeps shows no settings column", () => {
  const [runA] = fixtureRuns();
  assert.ok(runA);
  const md = renderMarkdown([runA]);
  assert.doesNotMatch(markdownSection(md, "Models tested"), /\| Threads \|/);
  assert.doesNotMatch(md, /Best settings for this machine/);
});

test("an interrupted run with no finished case still renders, and says so", () => {
  const [runA] = fixtureRuns();
  assert.ok(runA);
  const md = renderMarkdown([{ ...runA, models: [], interrupted: true, finishedAt: null }]);
  assert.match(
    markdownSection(md, "gguf-bench report"),
    /Interrupted before the end \(Ctrl-C or a stop signal\): run a1b2c3d4-/,
  );
  assert.match(markdownSection(md, "Summary"), /No model ran\./);
  assert.equal((md.match(/\| none +\| no model ran +\|/g) ?? []).length, 4);
  assert.match(markdownSection(md, "Failures"), /None: every stage of every case completed\./);
});

test("the report answers first: summary, recommendations and charts come before the per-model details", () => {
  const md = renderMarkdown(fixtureRuns());
  const h2 = md.split("\n").filter((line) => line.startsWith("## "));
  const at = (title: string) => h2.indexOf(`## ${title}`);
  assert.equal(at("Summary"), 0);
  assert.equal(at("Recommendations"), 1);
  assert.equal(at("At a glance"), 2);
  assert.equal(h2.at(-1), "## Results per model");
  assert.ok(at("How it was measured") > at("At a glance"));
});

test("summary: one row per case with speeds and their CI, TTFT, load, peak memory, memory per 1K tokens, status", () => {
  const runs = fixtureRuns();
  const md = renderMarkdown(runs);
  const summary = markdownSection(md, "Summary");
  const llama = runs[0]?.models[0];
  assert.ok(llama?.inference && llama.load);
  const s = llama.inference.summaries;
  const f = (v: number, d: number) => v.toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d });
  const row = summary.split("\n").find((line) => line.startsWith("| Llama-3.2-1B-Instruct-Q4\\_0.gguf (threads 2)"));
  assert.ok(row);
  const cells = row
    .split("|")
    .slice(1, -1)
    .map((c) => c.trim());
  assert.deepEqual(cells, [
    "Llama-3.2-1B-Instruct-Q4\\_0.gguf (threads 2)",
    `${f(s.generationTokensPerSecond.mean, 2)} (${f(s.generationTokensPerSecond.ci95Low, 2)} – ${f(s.generationTokensPerSecond.ci95High, 2)})`,
    `${f(s.promptTokensPerSecond.mean, 2)} (${f(s.promptTokensPerSecond.ci95Low, 2)} – ${f(s.promptTokensPerSecond.ci95High, 2)})`,
    f(s.ttftMs.mean, 1),
    f(llama.load.durationMs, 1),
    f(s.peakRssBytes.max / 1024 ** 3, 3),
    f(slopeGiBPerK(llama.contexts), 4),
    "3", // timed runs of each prompt (a file from before --runs auto: counted from the samples)
    "ok",
  ]);
  // A crashed case: what it measured (its load), dashes for the rest, each with a footnote saying why.
  assert.match(
    summary,
    /\| gemma-2-2b-it-Q4\\_K\\_M\.gguf \(threads 2\) +\|( +—¹ \|){3} +1,210\.4 \| +—¹ \| +—² \| +—¹ \| failed: crash \(SIGSEGV\) +\|/,
  );
  assert.match(summary, /^- —¹ not measured: no timed run finished \(see the case's status and errors\)\.$/m);
  assert.match(summary, /^- —² not measured: no fit: 0 context size\(s\) ran OK; a fit needs at least 2\.$/m);
  assert.match(summary, /\| TinyLlama.*\| partial: contexts context-alloc-failed \|/);
  // The settings every row shares, and what the inference figures were measured with.
  assert.match(summary, /Inference stage: context 2,048 tokens, 2 prompt\(s\) × 3 timed run\(s\) after 1 warm-up/);
  assert.match(
    summary,
    /Every row: Batch size 512, .*KV cache type f16.*; the settings that varied are in the model's name\./,
  );
});

test("Markdown shows the per-context charts as model × context tables", () => {
  const runs = fixtureRuns();
  const glance = markdownSection(renderMarkdown(runs), "At a glance");
  const llama = runs[0]?.models[0];
  const at8k = llama?.contexts[4];
  assert.ok(at8k?.status === "ok");
  assert.match(glance, /\*\*Generation tokens\/s vs context size\*\*/);
  assert.match(
    glance,
    new RegExp(
      `\\| Llama-3\\.2-1B-Instruct-Q4\\\\_0\\.gguf \\(threads 2\\) +\\|( +[0-9.,]+ \\|){4} +${at8k.generationTokensPerSecond?.toFixed(2)} \\|`,
    ),
  );
  assert.match(glance, /\| TinyLlama.*\| +error \| +skipped \| +skipped \|/);
  assert.match(glance, /\*\*Peak memory vs context size \(GiB\)\*\*/);
  assert.match(glance, /\*\*Generation speed as a share of the memory-bandwidth bound/);
  // The speed charts per model are not repeated: the summary table has their numbers.
  assert.doesNotMatch(glance, /speed per model/);
});

test("summary status names the inference warnings, so a figure to doubt is flagged at the top", () => {
  const [runA] = fixtureRuns();
  const llama = runA?.models[0];
  assert.ok(runA && llama?.inference);
  const warning = { code: "high-cv", message: "noisy", hint: "add runs", metric: "generationTokensPerSecond" };
  llama.inference.warnings = [warning, { ...warning, metric: "promptTokensPerSecond" }];
  const summary = markdownSection(renderMarkdown([runA]), "Summary");
  assert.match(summary, /\| Llama-3\.2-1B-Instruct-Q4\\_0\.gguf .*\| ok; warnings: high-cv +\|/);
});

test("a model whose KV cache cannot be known says so with the reason, in its details and the memory fit", () => {
  const model = buildModel({ label: "no-heads.gguf", contexts: [okContext(512, 500), okContext(1024, 450)] });
  model.info.kvBytesPerToken = null;
  model.info.kvCache = { status: "unknown", reason: "llama.attention.head_count is missing" };
  const md = renderMarkdown([buildRun({ models: [] })].map((run) => ({ ...run, models: [model] })));
  assert.match(md, /KV cache per token +\| unknown: llama\.attention\.head\\_count is missing/);
  assert.match(md, /\| +unknown \| +— \|.*KV unknown: llama\.attention\.head\\_count is missing/);
  assert.match(md, /KV-cache slope unknown: llama\.attention\.head\\_count is missing\./);
});
