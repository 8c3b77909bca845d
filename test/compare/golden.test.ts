import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { test } from "node:test";
import { compareRuns } from "../../src/compare/compareRuns.ts";
import { renderComparisonMarkdown } from "../../src/compare/renderComparisonMarkdown.ts";
import { buildRun, okContext } from "../helpers/resultsBuilder.ts";

// The whole Markdown comparison of two fixed runs, compared byte for byte with a reviewed file.
// After an intended change, regenerate with: UPDATE_GOLDEN=1 npx tsx --test test/compare/golden.test.ts
const golden = new URL("./golden/comparison.md", import.meta.url);

const a = buildRun({
  runId: "a1a1a1a1-0000-4000-8000-000000000001",
  startedAt: "2026-11-25T20:00:00.000Z",
  models: [
    {
      label: "stories260K.gguf",
      fingerprint: "5f2c",
      samples: { generationTokensPerSecond: [3100, 3150, 3120], ttftMs: [2.1, 2.3, 2.2], outputTokens: [64, 64, 64] },
      contexts: [okContext(256, 3000), okContext(512, 2900)],
    },
    { label: "old-only.gguf", fingerprint: "0ld" },
  ],
});
const b = buildRun({
  runId: "b2b2b2b2-0000-4000-8000-000000000002",
  startedAt: "2026-11-26T06:00:00.000Z",
  environment: { llamaCppBuild: "b6100", hostname: "研究室-laptop" },
  models: [
    {
      label: "stories260K.gguf",
      fingerprint: "5f2c",
      settings: { threads: 1 },
      samples: { generationTokensPerSecond: [3300, 3340, 3320], ttftMs: [3.0, 3.1, 3.2], outputTokens: [64, 64, 64] },
      contexts: [okContext(256, 3100)],
    },
    { label: "new|*star*.gguf", fingerprint: "n3w", status: "failed" },
  ],
});

test("the Markdown comparison matches the reviewed golden file", async () => {
  const md = renderComparisonMarkdown(compareRuns(a, b, { a: "database", b: "/tmp/b/results.json" }));
  if (process.env.UPDATE_GOLDEN === "1") await writeFile(golden, md);
  assert.equal(md, await readFile(golden, "utf8"));
});
