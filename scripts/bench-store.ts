/**
 * Figures for the history database on this machine (printed, never asserted): cost of one saveModel
 * (its own transaction, WAL, synchronous=NORMAL), of getRun and of listRuns as the history grows.
 *   npx tsx scripts/bench-store.ts [runs=300] [modelsPerRun=4] [db: an SQLite path or postgres:// URL; default a temp file]
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "../src/store/resultStore.ts";
import { buildRun, okContext } from "../test/helpers/resultsBuilder.ts";

const runs = Number(process.argv[2] ?? 300);
const modelsPerRun = Number(process.argv[3] ?? 4);
const dir = mkdtempSync(join(tmpdir(), "gguf-bench-bench-store-"));
const path = process.argv[4] ?? join(dir, "results.db");
const store = await openStore(path);
const sample = (n: number, base: number) => Array.from({ length: n }, (_, i) => base + (i % 7));
const template = buildRun({
  models: Array.from({ length: modelsPerRun }, (_, i) => ({
    label: `model-${i}.gguf`,
    samples: { generationTokensPerSecond: sample(15, 500), totalMs: sample(15, 150), ttftMs: sample(15, 20) },
    contexts: [512, 1024, 2048, 4096, 8192].map((c) => okContext(c, 400)),
  })),
});
const modelBytes = JSON.stringify(template.models[0]).length;

const saveMs: number[] = [];
const started = performance.now();
for (let r = 0; r < runs; r++) {
  const runId = `${r.toString(16).padStart(8, "0")}-0000-4000-8000-000000000000`;
  await store.beginRun({ ...template, runId, models: [] });
  for (const model of template.models) {
    const t0 = performance.now();
    await store.saveModel(runId, model);
    saveMs.push(performance.now() - t0);
  }
  await store.finishRun(runId, "2026-11-26T07:00:00.000Z", false);
}
const totalMs = performance.now() - started;
saveMs.sort((a, b) => a - b);
const pct = (p: number) => (saveMs[Math.floor((saveMs.length - 1) * p)] as number).toFixed(3);

let t0 = performance.now();
const listed = await store.listRuns();
const listMs = performance.now() - t0;
t0 = performance.now();
const got = await store.getRun("0000000a");
const getMs = performance.now() - t0;
await store.close();
const dbBytes = path.startsWith("postgres") ? Number.NaN : statSync(path).size;
rmSync(dir, { recursive: true, force: true });

process.stdout.write(
  `${[
    `runs: ${runs} × ${modelsPerRun} model results (${modelBytes} bytes of JSON each)`,
    `saveModel: median ${pct(0.5)} ms, p95 ${pct(0.95)} ms, max ${pct(1)} ms (one transaction each)`,
    `whole history written in ${totalMs.toFixed(0)} ms`,
    `listRuns over ${listed.length} runs: ${listMs.toFixed(1)} ms`,
    `getRun (${got?.models.length} models): ${getMs.toFixed(2)} ms`,
    `database size: ${(dbBytes / 1024 / 1024).toFixed(1)} MiB`,
  ].join("\n")}\n`,
);
