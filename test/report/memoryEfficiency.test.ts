import assert from "node:assert/strict";
import { test } from "node:test";
import { renderCsv } from "../../src/report/renderCsv.ts";
import { renderHtml } from "../../src/report/renderHtml.ts";
import { renderMarkdown } from "../../src/report/renderMarkdown.ts";
import { buildInference } from "../../src/runner/assembleModelResults.ts";
import { buildRun } from "../helpers/resultsBuilder.ts";
import { markdownSection } from "./reportFixtures.ts";

/** A crashed model (nothing measured) and an outside server (no memory readings, no load, no fit). */
function run() {
  const results = buildRun({
    models: [
      { label: "crashed.gguf", status: "failed" },
      { label: "remote.gguf", settings: { engine: "openai" } },
    ],
  });
  const remote = results.models[1];
  assert.ok(remote?.inference);
  remote.load = null;
  remote.inference = buildInference(
    512,
    remote.inference.samples.map((s) => ({ ...s, peakRssBytes: null })),
    null,
  );
  return results;
}

test("memory efficiency: every — names its reason (Markdown, HTML) and the missing fit has a CSV not_measured row", async () => {
  const markdown = renderMarkdown([run()]);
  const section = markdownSection(markdown, "Memory efficiency");
  const rows = section.split("\n").filter((l) => l.startsWith("| crashed") || l.startsWith("| remote"));
  assert.equal(rows.length, 2);
  for (const row of rows) {
    const cells = row
      .split("|")
      .slice(2, -1)
      .map((c) => c.trim());
    for (const cell of cells.slice(1)) assert.match(cell, /^—[¹²³⁴⁵]$/, `a dash with its mark: ${row}`);
  }
  assert.match(section, /- —¹ not measured: the model did not load \(see the case's status and errors\)\./);
  assert.match(section, /not measured: no timed run finished \(see the case's status and errors\)\./);
  assert.match(
    section,
    /not measured: an outside server's process memory cannot be read from here \(openai engine\)\./,
  );
  assert.match(section, /not measured: an outside server had its model loaded before the run/);
  assert.match(section, /not measured: no fit: 0 context size\(s\) ran OK; a fit needs at least 2\./);
  assert.doesNotMatch(section, /— \|/, "no bare dash");

  const capacities = markdownSection(markdown, "Training context capacities");
  assert.match(capacities, /\| +—¹ \|\n/);
  assert.match(capacities, /- —¹ not measured: no context size was run \(see the case's status\)\./);

  const html = await renderHtml([run()]);
  assert.match(html, /—¹ not measured: the model did not load/);
  const csv = renderCsv([run()]);
  assert.match(
    csv,
    /,remote\.gguf \(engine openai\),false,analysis,,,,memory_fit_slope_bytes_per_token,not_measured,no fit: 0 context size\(s\) ran OK; a fit needs at least 2,,\r\n/,
  );
});
