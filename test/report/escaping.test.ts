import assert from "node:assert/strict";
import { test } from "node:test";
import { csvField, csvLine } from "../../src/report/csvField.ts";
import { escapeHtml } from "../../src/report/escapeHtml.ts";
import { escapeMarkdown } from "../../src/report/escapeMarkdown.ts";
import { modelsPage } from "../../src/serve/modelsPage.ts";
import { boundText, MAX_DISPLAY_CHARS } from "../../src/text/printable.ts";

test("Markdown: pipes, backticks, angle brackets, ampersands and newlines cannot escape their cell", () => {
  assert.equal(escapeMarkdown("a|b"), "a\\|b");
  assert.equal(escapeMarkdown("`x`"), "\\`x\\`");
  assert.equal(escapeMarkdown("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;");
  assert.equal(escapeMarkdown("line1\nline2\r\nline3"), "line1 line2 line3");
  assert.equal(escapeMarkdown("[link](http://x) *b* _i_ ~s~ \\"), "\\[link\\](http://x) \\*b\\* \\_i\\_ \\~s\\~ \\\\");
  assert.equal(escapeMarkdown("&amp;"), "&amp;amp;");
  assert.equal(escapeMarkdown("1.5 GiB, 2K–32K"), "1.5 GiB, 2K–32K");
});

test("HTML: the five special characters", () => {
  assert.equal(
    escapeHtml(`<a href="x" title='y'>&</a>`),
    "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;",
  );
});

test("CSV: RFC 4180 quoting", () => {
  assert.equal(csvField("plain"), "plain");
  assert.equal(csvField("a,b"), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField("two\nlines"), '"two\nlines"');
  assert.equal(csvField(null), "");
  assert.equal(csvField(1.5), "1.5");
  assert.equal(csvField(Number.NaN), "");
  assert.equal(csvField(true), "true");
  assert.equal(csvLine(["x", 1, null, "y,z"]), 'x,1,,"y,z"');
});

test("CSV: text that a spreadsheet would run as a formula is neutralised; numbers are not", () => {
  assert.equal(csvField('=HYPERLINK("http://evil")'), '"\'=HYPERLINK(""http://evil"")"');
  assert.equal(csvField("+1"), "'+1");
  assert.equal(csvField("-2+3"), "'-2+3");
  assert.equal(csvField("@SUM(A1)"), "'@SUM(A1)");
  assert.equal(csvField("\tx"), "'\tx");
  assert.equal(csvField(-2), "-2");
});

test("the escapers escape whatever the length: cutting is boundText's alone", () => {
  const long = `${"<".repeat(3000)}${"x".repeat(3000)}`;
  assert.equal(escapeHtml(long), `${"&lt;".repeat(3000)}${"x".repeat(3000)}`);
  assert.equal(escapeMarkdown(long), `${"&lt;".repeat(3000)}${"x".repeat(3000)}`);
  assert.equal(boundText(long), `${"<".repeat(1000)}… (5000 more characters)`);
  assert.equal(boundText(long), boundText(long, MAX_DISPLAY_CHARS));
});

test("a served page bounds what the store gave it once, then escapes: a huge stored label, whole links", () => {
  const label = `${"<".repeat(4000)}TAIL-MARK`;
  const html = modelsPage(
    [
      {
        fileFingerprint: "f".repeat(64),
        label,
        results: 1,
        runs: 1,
        machines: 1,
        lastStartedAt: "2026-12-01T00:00:00Z",
      },
    ],
    500,
    "history.db",
  );
  assert.ok(html.includes(`>${"&lt;".repeat(1000)}… (3009 more characters)</a>`), "the label cut once at 1000");
  assert.ok(!html.includes("TAIL-MARK"));
  assert.ok(html.includes(`href="/trend?model=${"f".repeat(64)}"`), "the link is whole");
});
