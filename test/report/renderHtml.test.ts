import assert from "node:assert/strict";
import { test } from "node:test";
import { REPORT_SECTIONS } from "../../src/report/buildReport.ts";
import { renderHtml } from "../../src/report/renderHtml.ts";
import { fixtureRuns } from "./reportFixtures.ts";

const position = (html: string, needle: string) => {
  const at = html.indexOf(needle);
  assert.ok(at >= 0, `missing ${needle}`);
  return at;
};

test("HTML follows the section list: summary, recommendations, charts, then details; every model folded", async () => {
  assert.deepEqual(REPORT_SECTIONS.map((s) => s.id).slice(0, 4), ["overview", "summary", "recommendations", "charts"]);
  assert.equal(REPORT_SECTIONS.at(-1)?.id, "details");
  const html = await renderHtml(fixtureRuns());
  const order = [
    '<table class="sortable" id="summary">',
    'id="recommendations"',
    'data-chart="generation-speed"',
    'data-chart="prompt-speed"',
    'data-chart="generation-vs-context"',
    'data-chart="memory-vs-context"',
    'data-chart="roofline-fraction"',
    '<h2 id="s-results-per-model">',
    '<details class="fold" id="case-0">',
  ].map((needle) => position(html, needle));
  assert.deepEqual(
    order,
    [...order].sort((a, b) => a - b),
  );
  // Seven cases, each in a closed <details>; the memory-scaling tables of the six with contexts folded too.
  assert.equal(html.match(/<details class="fold" id="case-\d+">/g)?.length, 7);
  assert.equal(html.match(/<details class="fold" id="scaling-\d+-details">/g)?.length, 6);
  assert.doesNotMatch(html, /<details[^>]* open/);
  // Hostile names are escaped in the folded summaries as everywhere.
  assert.match(html, /<h3>evil-model&lt;i&gt;&amp;x&lt;\/i&gt;\.gguf \(threads 2\)<\/h3>/);
});

test("a run with no finished case renders: nothing to chart, said once", async () => {
  const [runA] = fixtureRuns();
  assert.ok(runA);
  const html = await renderHtml([{ ...runA, models: [], interrupted: true, finishedAt: null }]);
  assert.equal(html.match(/Nothing to chart/g)?.length, 1);
  assert.doesNotMatch(html, /<figure class="chart" data-chart="(generation|prompt|memory|roofline)/);
  assert.match(html, /No model ran\./);
});
