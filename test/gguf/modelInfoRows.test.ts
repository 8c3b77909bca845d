import assert from "node:assert/strict";
import { test } from "node:test";
import { formatBytes, formatCount } from "../../src/gguf/modelInfoRows.ts";
import { printable } from "../../src/text/printable.ts";

test("formatCount quotes sizes as model cards do", () => {
  assert.equal(formatCount(999), "999");
  assert.equal(formatCount(292_800), "292.8K");
  assert.equal(formatCount(25_400_000), "25.4M");
  assert.equal(formatCount(1_100_048_384), "1.10B");
  assert.equal(formatCount(6_738_415_616), "6.74B");
});

test("formatBytes uses binary units", () => {
  assert.equal(formatBytes(640), "640 B");
  assert.equal(formatBytes(1024), "1.00 KiB");
  assert.equal(formatBytes(1_185_376), "1.13 MiB");
  assert.equal(formatBytes(3_791_947_360), "3.53 GiB");
});

test("printable escapes control characters from untrusted names (no terminal escape sequences)", () => {
  assert.equal(printable("ok ▁name"), "ok ▁name");
  assert.equal(printable("a\u001b[31mred\nb"), "a\\u001b[31mred\\u000ab");
});
