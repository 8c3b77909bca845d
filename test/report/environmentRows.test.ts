import assert from "node:assert/strict";
import { test } from "node:test";
import { renderMarkdown } from "../../src/report/renderMarkdown.ts";
import { buildRun } from "../helpers/resultsBuilder.ts";

test("the environment table shows what decides speed: CPU identity, SIMD, caches, llama.cpp's system info", () => {
  const md = renderMarkdown([buildRun()]);
  assert.match(md, /^\| CPU +\| Test CPU 9000 \(family 26, model 2, stepping 1\) +\|$/m);
  assert.match(md, /^\| SIMD +\| AVX2, AVX512F +\|$/m);
  assert.match(md, /^\| Caches +\| L1d 48 KiB, L1i 32 KiB, L2 1 MiB, L3 32 MiB \(test\) +\|$/m);
  // llama.cpp's line is full of '|': escaped so the table keeps its two columns.
  assert.match(
    md,
    /^\| llama\.cpp system info \| CPU : SSE3 = 1 \\\| AVX2 = 1 \\\| AVX512 = 1 \\\| REPACK = 1 \\\| +\|$/m,
  );
});
