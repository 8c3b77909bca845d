import assert from "node:assert/strict";
import { test } from "node:test";
import { analyzeRuns } from "../../src/analysis/caseAnalysis.ts";
import { predictedMemoryBytes } from "../../src/analysis/memoryFit.ts";
import { renderCsv } from "../../src/report/renderCsv.ts";
import { renderHtml } from "../../src/report/renderHtml.ts";
import { renderMarkdown } from "../../src/report/renderMarkdown.ts";
import type { ContextResult } from "../../src/results/types.ts";
import { buildRun } from "../helpers/resultsBuilder.ts";
import { markdownSection } from "./reportFixtures.ts";

const MIB = 2 ** 20;
/** A context size that ran with the given peak RSS. */
const at = (contextSize: number, peakMiB: number): ContextResult => ({
  contextSize,
  status: "ok",
  promptTokens: contextSize - 16,
  outputTokens: 16,
  promptMs: 100,
  generationMs: 50,
  totalMs: 160,
  ttftMs: 110,
  promptTokensPerSecond: (contextSize - 16) * 10,
  generationTokensPerSecond: 300,
  afterCreateRssBytes: peakMiB * MIB,
  peakRssBytes: peakMiB * MIB,
  endRssBytes: peakMiB * MIB,
});

/** Peak RSS falls as the context grows (mmap'd pages evicted during the context stage): a negative slope. */
const evicted = () =>
  buildRun({ models: [{ label: "evicted.gguf", contexts: [at(512, 900), at(1024, 860), at(2048, 800)] }] });

test("a negative fitted slope: a warning beside it, never used to plan memory or recommend", async () => {
  const [c] = analyzeRuns([evicted()]).cases;
  assert.ok(c?.fit.kind === "fit" && c.fit.slopeBytesPerToken < 0, "the fixture fits a negative slope");
  assert.equal(predictedMemoryBytes(c.fit, 4096), null, "no planning figure from a shrinking memory");

  const markdown = renderMarkdown([evicted()]);
  const why =
    /fitted slope is negative \(-0\.\d{4} GiB\/1K tokens\), which cannot be right: the KV cache grows with the context; likely the kernel evicted file-backed pages of the mmap'd model under memory pressure during the context stage, or baseline noise/;
  // Beside the figure wherever it is printed: the summary, the efficiency table, the fit table, the buffer sizes.
  const summary = markdownSection(markdown, "Summary");
  assert.match(summary, /\| +-0\.\d{4} ⚠ \|/);
  assert.match(summary, new RegExp(`^- ⚠ evicted\\.gguf: ${why.source}`, "m"));
  const efficiency = markdownSection(markdown, "Memory efficiency");
  assert.match(efficiency, /\| +-0\.\d{4} ⚠ \|/);
  assert.match(efficiency, why);
  assert.match(markdownSection(markdown, "Memory vs context trade-offs"), why);
  assert.match(markdownSection(markdown, "Memory buffer sizes"), new RegExp(`⚠ warning: ${why.source}`));

  // Planning and recommendations: no figure from the negative slope, the warning says why.
  const plan = markdownSection(markdown, "Memory to plan for");
  const row = plan.split("\n").find((l) => l.startsWith("| evicted"));
  assert.ok(row);
  assert.match(row, /\| evicted\.gguf +\|( +—¹ \|){5} +24\.00 \| fitted slope is negative/);
  assert.match(plan, new RegExp(`^- —¹ not measured: ${why.source}`, "m"));
  const [chat] = analyzeRuns([evicted()]).recommendations;
  assert.equal(chat?.choice, null);
  assert.match(chat?.rejected[0]?.reason ?? "", /^no memory to plan with: fitted slope is negative/);

  const html = await renderHtml([evicted()]);
  assert.match(html, /⚠ evicted\.gguf: fitted slope is negative/);
  assert.match(renderCsv([evicted()]), /,memory_fit_slope_bytes_per_token,warning,"fitted slope is negative/);
});

test("a positive slope: no warning, the plan uses the fit", () => {
  const run = buildRun({ models: [{ label: "fine.gguf", contexts: [at(512, 800), at(1024, 860), at(2048, 980)] }] });
  const [c] = analyzeRuns([run]).cases;
  assert.ok(c?.fit.kind === "fit" && c.fit.slopeBytesPerToken > 0);
  assert.equal(predictedMemoryBytes(c.fit, 4096), c.fit.baseBytes + c.fit.slopeBytesPerToken * 4096);
  assert.doesNotMatch(renderMarkdown([run]), /⚠|slope is negative/);
});
