import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { test } from "node:test";
import { resultsJsonSchemaText, runResultsSchema } from "../../src/results/schema.ts";
import { buildRun, okContext } from "../helpers/resultsBuilder.ts";

test("docs/results.schema.json is up to date (regenerate with: npx tsx scripts/write-results-schema.ts)", async () => {
  const onDisk = JSON.parse(await readFile(new URL("../../docs/results.schema.json", import.meta.url), "utf8"));
  assert.deepEqual(onDisk, JSON.parse(resultsJsonSchemaText()));
});

test("the JSON Schema requires every top-level field and constrains the version", () => {
  const schema = JSON.parse(resultsJsonSchemaText());
  assert.deepEqual(schema.required, [
    "schemaVersion",
    "tool",
    "runId",
    "startedAt",
    "finishedAt",
    "interrupted",
    "environment",
    "config",
    "models",
  ]);
  assert.equal(schema.properties.schemaVersion.const, 1);
  assert.equal(schema.title, "gguf-bench results");
});

test("the zod schema accepts every shape the types allow and rejects others", () => {
  const run = buildRun({
    models: [
      {
        label: "a.gguf",
        contexts: [
          okContext(512, 400),
          { contextSize: 4096, status: "skipped", reason: "beyond the training context" },
          { contextSize: 8192, status: "error", code: "context-alloc-failed", message: "out of memory" },
        ],
      },
      { label: "b.gguf", status: "failed" },
    ],
  });
  assert.equal(runResultsSchema.safeParse(run).success, true);
  const missingSummary = structuredClone(run) as unknown as {
    models: { inference: { summaries: Record<string, unknown> } }[];
  };
  delete missingSummary.models[0]?.inference.summaries.ttftMs;
  const result = runResultsSchema.safeParse(missingSummary);
  assert.equal(result.success, false);
  assert.deepEqual(result.error?.issues[0]?.path, ["models", 0, "inference", "summaries", "ttftMs"]);
});
