import assert from "node:assert/strict";
import { test } from "node:test";
import { csvField, csvLine } from "../../src/report/csvField.ts";
import { escapeHtml } from "../../src/report/escapeHtml.ts";
import { escapeMarkdown } from "../../src/report/escapeMarkdown.ts";

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
