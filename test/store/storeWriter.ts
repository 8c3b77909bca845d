/**
 * Child process for the store tests (not a test file itself): writes a run into a real database file.
 *   storeWriter.ts <db> <runId> <models> hang  — saves the models, says "saved", then waits to be killed
 *   storeWriter.ts <db> <runId> <models> finish — saves the models one transaction each, then finishes the run
 */
import { openStore } from "../../src/store/resultStore.ts";
import { buildModel, buildRun } from "../helpers/resultsBuilder.ts";

const [dbPath, runId, countText, mode] = process.argv.slice(2);
if (!dbPath || !runId || !countText || (mode !== "hang" && mode !== "finish")) {
  process.stderr.write("usage: storeWriter.ts <db> <runId> <models> hang|finish\n");
  process.exit(2);
}
const store = openStore(dbPath);
store.beginRun(buildRun({ runId, finishedAt: null, models: [] }));
for (let i = 0; i < Number(countText); i++) {
  store.saveModel(runId, buildModel({ label: `model-${i}.gguf`, samples: { totalMs: [100 + i, 101 + i] } }, i));
}
if (mode === "hang") {
  process.stdout.write("saved\n");
  setInterval(() => {}, 60_000);
} else {
  store.finishRun(runId, "2026-11-26T07:00:00.000Z", false);
  store.close();
}
