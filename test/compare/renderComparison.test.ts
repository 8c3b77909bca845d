import assert from "node:assert/strict";
import { test } from "node:test";
import { compareRuns } from "../../src/compare/compareRuns.ts";
import { renderComparisonJson } from "../../src/compare/renderComparisonJson.ts";
import { renderComparisonMarkdown } from "../../src/compare/renderComparisonMarkdown.ts";
import { escapeMarkdown } from "../../src/report/escapeMarkdown.ts";
import { buildRun } from "../helpers/resultsBuilder.ts";

const evil = "evil|*model*<script>alert(1)</script>[x](http://e)\n# h";
const a = buildRun({
  runId: "aaaaaaaa-0000-4000-8000-000000000001",
  models: [{ label: evil, samples: { generationTokensPerSecond: [100, 102], ttftMs: [20, 22] } }],
});
const b = buildRun({
  runId: "bbbbbbbb-0000-4000-8000-000000000002",
  environment: { hostname: "host_with_*stars*" },
  models: [{ label: evil, samples: { generationTokensPerSecond: [110, 112], ttftMs: [30, 32] } }],
});

test("escapeMarkdown neutralises markup, HTML, table pipes and new lines", () => {
  assert.equal(escapeMarkdown(evil), "evil\\|\\*model\\*&lt;script&gt;alert(1)&lt;/script&gt;\\[x\\](http://e) \\# h");
});

test("the Markdown comparison shows verdicts, percentages and escaped model strings", () => {
  const md = renderComparisonMarkdown(compareRuns(a, b));
  assert.ok(md.startsWith("# gguf-bench comparison\n"));
  assert.ok(md.includes(`## ${escapeMarkdown(evil)}\n`));
  assert.ok(!md.includes("<script>"));
  assert.ok(md.includes("host\\_with\\_\\*stars\\*"));
  // Generation 101 → 111: +9.9%, CI 10 ± 6.0849 → +3.9% … +15.9% of 101, p = 0.019.
  assert.match(
    md,
    /\| Generation speed \(tokens\/s\)\s*\|\s*101\.00 ± 1\.41 \(n = 2\) \|\s*111\.00 ± 1\.41 \(n = 2\) \|\s*\+9\.9% \|\s*\+3\.9% … \+15\.9% \|\s*0\.019 \| better ✅/,
  );
  assert.match(md, /\| Time to first token \(ms\)\s*\|.*\|\s*\+47\.6% \|.*\| worse ❌/);
  assert.match(md, /\| Load time \(ms\)\s*\|\s*12\.5 \|\s*12\.5 \|\s*0\.0% \|\s*— \|\s*— \| single measurement/);
  assert.match(md, /significantly better: 1, worse: 1, changed: 0/);
  // Every table row has exactly the 8 pipes of its 7 columns: escaped pipes never split a cell.
  for (const line of md.split("\n").filter((l) => l.startsWith("| Generation"))) {
    assert.equal(line.replace(/\\\|/g, "").split("|").length - 1, 8);
  }
});

test("the JSON comparison is the comparison itself", () => {
  const c = compareRuns(a, b, { a: "database", b: "/tmp/b.json" });
  const parsed = JSON.parse(renderComparisonJson(c));
  assert.deepEqual(parsed, c);
  assert.equal(parsed.kind, "gguf-bench-comparison");
  assert.equal(parsed.b.source, "/tmp/b.json");
});

test("a huge label is cut once, by the one bound (boundText), and the sentences around it stay whole", () => {
  const huge = `${"L".repeat(4990)}<b>|tail`;
  const bigA = buildRun({ models: [{ label: huge, caseId: "c#1" }] });
  const bigB = buildRun({ models: [{ label: huge, caseId: "c#1" }] });
  const md = renderComparisonMarkdown(compareRuns(bigA, bigB));
  // The heading: 1000 characters of the label, how many more there were, nothing of its tail.
  assert.match(md, /\n## L{1000}… \(3998 more characters\)\n/);
  assert.doesNotMatch(md, /tail|&lt;b&gt;/);
  // The escapers themselves never cut: 5000 characters in, 5000 (escaped) out.
  assert.equal(escapeMarkdown("x".repeat(5000)).length, 5000);
  assert.match(md, /Cases: A c\\#1, B c\\#1; matched by file fingerprint\. Settings: /);
});
