import assert from "node:assert/strict";
import { test } from "node:test";
import { renderHtml } from "../../src/report/renderHtml.ts";
import { renderMarkdown } from "../../src/report/renderMarkdown.ts";
import { MAX_DISPLAY_CHARS } from "../../src/text/printable.ts";
import { buildRun } from "../helpers/resultsBuilder.ts";
import { markdownSection } from "./reportFixtures.ts";

/** One model on two engines (the engines section's long intro), two long notes, and a huge hostile error message. */
function longTextRun() {
  const run = buildRun({
    models: [
      { label: "m.gguf", fingerprint: "fp", settings: { engine: "node-llama-cpp" } },
      { label: "m.gguf", fingerprint: "fp", settings: { engine: "llama-server" } },
    ],
  });
  run.config.sweep.engine = ["node-llama-cpp", "llama-server"];
  run.config.notes = [
    `first note ${"a".repeat(700)} end of the first`,
    `second note ${"b".repeat(700)} end of the second`,
  ];
  const hostile = `<script>alert(1)</script>|${"x".repeat(5000)}`;
  (run.models[1] as (typeof run.models)[number]).errors = [
    { stage: "inference", code: "request-failed", message: hostile, hint: "the server's own words end here" },
  ];
  return run;
}

test("the report's own sentences are whole; a long untrusted value inside one is bounded and escaped", async () => {
  const markdown = renderMarkdown([longTextRun()]);
  assert.doesNotMatch(markdownSection(markdown, "Engines side by side"), /more characters/, "the intro is whole");
  assert.match(markdown, /Each — is marked with its reason, listed under the table\./);
  // Two notes joined in one cell, over MAX_DISPLAY_CHARS together: both whole.
  const notes = /\| Notes +\| (.*) \|/.exec(markdown)?.[1] ?? "";
  assert.ok(notes.length > MAX_DISPLAY_CHARS, "the cell is longer than the cap for one value");
  assert.match(notes, /end of the first; second note b+ end of the second$/);
  // The error message (from outside) is cut at the cap and escaped; the sentence around it goes on.
  const item = markdown.split("\n").find((line) => line.includes("request-failed: ")) ?? "";
  assert.match(
    item,
    /request-failed: &lt;script&gt;alert\(1\)&lt;\/script&gt;\\\|x+… \(4026 more characters\) — hint: the server's own words end here$/,
  );
  assert.ok(!markdown.includes("<script>"));
  const html = await renderHtml([longTextRun()]);
  assert.match(html, /Each — is marked with its reason, listed under the table\./);
  assert.match(html, /end of the first; second note b+ end of the second<\/td>/);
  assert.match(
    html,
    /request-failed: &lt;script&gt;alert\(1\)&lt;\/script&gt;\|x+… \(4026 more characters\) — hint: the server&#39;s own words end here/,
  );
  assert.ok(!html.includes("<script>alert"));
});
