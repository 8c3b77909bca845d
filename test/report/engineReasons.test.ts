import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { formatPercent } from "../../src/report/formatValue.ts";
import { renderCsv } from "../../src/report/renderCsv.ts";
import { renderHtml } from "../../src/report/renderHtml.ts";
import { renderJson } from "../../src/report/renderJson.ts";
import { renderMarkdown } from "../../src/report/renderMarkdown.ts";
import type { RunResults } from "../../src/results/types.ts";
import { markdownSection } from "./reportFixtures.ts";

/**
 * A real run (stories260K, --threads 1 --runs 2 --contexts 256,512 --concurrency 1,2 --requests 4 --max-tokens 8)
 * on node-llama-cpp, llama-server and openai (against a llama-server started by hand): what an engine cannot
 * measure must read as not measured, with the reason, in every format.
 */
const run = (): RunResults =>
  JSON.parse(readFileSync(new URL("../fixtures/results/engines-three.json", import.meta.url), "utf8")) as RunResults;

test("openai: memory, load and cleanup read as not measured with their reason, never as 0", () => {
  const markdown = renderMarkdown([run()]);
  const openai = markdownSection(markdown, "stories260K.gguf (engine openai)");
  assert.match(openai, /Not measured: an outside server had its model loaded before the run/);
  assert.ok(!openai.includes("The model did not load"));
  assert.match(openai, /\| Peak memory \(MiB\) +\| +0 \| not measured +\|( +— \|){6}/);
  assert.match(openai, /- Peak memory: not measured: an outside server's process memory cannot be read from here/);
  assert.match(openai, /No cleanup measured: an outside server is not ours to stop or measure/);
  assert.match(openai, /\| ok +\|.*\| memory not measured: an outside server's process memory/);
  // The context sizes ran: the missing fit says memory was not measured there, not that none ran.
  assert.match(openai, /No memory fit: memory not measured at the 2 context size\(s\) that ran OK/);
  assert.ok(!markdown.includes("0 context size(s) ran OK"));
  const server = markdownSection(markdown, "stories260K.gguf (engine llama-server)");
  assert.match(server, /No cleanup measured: llama-server has no cleanup stage/);

  const csv = renderCsv([run()]);
  const peak = csv
    .split("\r\n")
    .filter((l) => l.includes("(engine openai)") && /,inference,2048,,,peak_rss_bytes,/.test(l));
  assert.ok(peak.some((l) => l.endsWith(",peak_rss_bytes,n,0,samples,")));
  assert.ok(
    peak.some((l) => l.endsWith(",peak_rss_bytes,mean,,bytes,")),
    "no mean of 0 for nothing measured",
  );
  assert.ok(peak.some((l) => /,not_measured,an outside server's process memory/.test(l)));
});

test("openai: the header, the summary and the settings say how each engine was measured", () => {
  const markdown = renderMarkdown([run()]);
  const header = markdown.slice(0, markdown.indexOf("## Summary"));
  assert.match(header, /Measured per engine: node-llama-cpp \(in-process\) in a child process per model/);
  assert.match(header, /openai against an outside server, timed from the client/);
  const summary = markdownSection(markdown, "Summary");
  assert.match(summary, /\| stories260K\.gguf \(engine openai\) +\|.*\| +—¹ \| +—² \| +—³ \|/);
  assert.match(summary, /^- —¹ not measured: an outside server had its model loaded before the run/m);
  assert.match(summary, /^- —³ not measured: no fit: memory not measured at the 2 context size\(s\)/m);
  assert.match(summary, /Every row except the openai ones: Threads 1, /);
  assert.match(summary, /openai rows: the endpoint's own settings apply/);
  const settings = markdownSection(markdown, "Settings used");
  // One sentence for the openai case, not a row repeating "the endpoint's own" in every column.
  assert.match(
    settings,
    /stories260K\.gguf \(engine openai\): not in the table, the endpoint's own settings apply to threads, batch, micro-batch, flash attention, KV cache, mmap, GPU layers and page cache/,
  );
  assert.doesNotMatch(settings, /\| stories260K\.gguf \(engine openai\)/);
  assert.match(settings, /\| stories260K\.gguf \(engine llama-server\) +\| +1 \|/);
  assert.equal(settings.match(/the endpoint's own/g)?.length, 1);
  const environment = markdownSection(markdown, "How it was measured");
  assert.match(environment, /\| node-llama-cpp +\| 3\.21\.1, its prebuilt binary +\|/);
  assert.match(environment, /\| llama-server +\| \/\S+\/llama-server, version 0\.4\.0-dev \(build 1, commit 80fb11a\)/);
  assert.match(environment, /\| openai endpoint +\| http:\/\/127\.0\.0\.1:18377\/v1, model the server's default/);
});

test("concurrency charts tick only at the stream counts measured", async () => {
  const html = await renderHtml([run()]);
  const figure = html.slice(html.indexOf('data-chart="concurrency-throughput"'));
  const axis = figure.slice(0, figure.indexOf("</svg>"));
  const ticks = [...axis.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
  assert.ok(ticks.includes("1") && ticks.includes("2"), `ticks: ${ticks.join(" ")}`);
  assert.ok(
    !ticks.some((t) => /^\d+\.\d+$/.test(t ?? "") && Number(t) < 2),
    `no fractional stream ticks: ${ticks.join(" ")}`,
  );
});

test("a measured share never prints as 0.0%: more digits when it would round to 0", () => {
  // 2.97 tokens/s against a bound of 17,073 tokens/s (trial of issue 15: the roofline said 0.0%).
  assert.equal(formatPercent(2.97 / 17_073.78), "0.017%");
  assert.equal(formatPercent(0.000_49), "0.049%");
  assert.equal(formatPercent(0), "0.0%");
  assert.equal(formatPercent(0.123), "12.3%");
  assert.equal(formatPercent(1e-12), "<0.000001%");
});

test("report.json lists what each case did not measure, and why", () => {
  const report = JSON.parse(renderJson([run()])) as {
    analysis: { cases: { name: string; notMeasured: { field: string; reason: string }[] }[] };
  };
  const byName = new Map(report.analysis.cases.map((c) => [c.name, c.notMeasured]));
  assert.deepEqual(
    byName.get("stories260K.gguf (engine openai)")?.map((n) => n.field),
    ["inference.summaries.peakRssBytes", "load", "cleanup"],
  );
  assert.match(byName.get("stories260K.gguf (engine openai)")?.[0]?.reason ?? "", /outside server's process memory/);
  assert.deepEqual(
    byName.get("stories260K.gguf (engine llama-server)")?.map((n) => n.field),
    ["cleanup"],
  );
  assert.deepEqual(byName.get("stories260K.gguf (engine node-llama-cpp)"), []);
});

test("the methodology's stages are true per engine", () => {
  const methodology = markdownSection(renderMarkdown([run()]), "How it was measured");
  assert.match(
    methodology,
    /\| Stages +\| node-llama-cpp: metadata → load → inference → contexts → cleanup, one child/,
  );
  assert.match(
    methodology,
    /llama-server: metadata → load → inference → contexts, a server process per model × settings/,
  );
  assert.match(
    methodology,
    /openai: metadata → inference → contexts against the outside server; no load, memory or cleanup/,
  );
});

test("openai in HTML: Settings used names the case in one sentence, no row of repeated cells", async () => {
  const html = await renderHtml([run()]);
  const settings = html.slice(html.indexOf(">Settings used<"));
  const section = settings.slice(0, settings.indexOf("</table>"));
  assert.match(
    section,
    /<p>stories260K\.gguf \(engine openai\): not in the table, the endpoint&#39;s own settings apply to threads, batch/,
  );
  assert.ok(!section.includes("<td>the endpoint"), "no cell says the endpoint's own");
});

test("openai: the Concurrency and Memory scaling peak memory cells carry the footnote of their reason (Markdown, HTML)", async () => {
  const markdown = renderMarkdown([run()]);
  const concurrency = markdownSection(markdown, "Concurrency");
  const openaiRows = concurrency.split("\n").filter((l) => l.startsWith("| stories260K.gguf (engine openai)"));
  assert.equal(openaiRows.length, 2);
  for (const row of openaiRows) assert.match(row, /\| +—¹ \|$/);
  assert.match(concurrency, /^- —¹ not measured: an outside server's process memory cannot be read from here/m);
  const scaling = markdownSection(markdown, "Memory scaling: stories260K.gguf (engine openai)");
  assert.match(scaling, /^\| +256 \|.*\| +—¹ \|$/m);
  assert.match(scaling, /^- —¹ not measured: an outside server's process memory cannot be read from here/m);
  // No bare dash anywhere in either table.
  for (const table of [concurrency, scaling]) assert.doesNotMatch(table, /\| +— \|/);

  const html = await renderHtml([run()]);
  const start = html.indexOf("Closed loop: at each level");
  const section = html.slice(start, html.indexOf("</ul>", start));
  assert.ok(!/<td[^>]*>—<\/td>/.test(section), "no bare — cell in the HTML");
  assert.match(section, /<td[^>]*>—¹<\/td>/);
  assert.match(section, /—¹ not measured: an outside server&#39;s process memory cannot be read from here/);
});
