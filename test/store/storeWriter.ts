/**
 * Child process for the store tests (not a test file itself): writes a run into a real database file.
 *   storeWriter.ts <db> <runId> <models> hang   — saves the models, says "saved", then waits to be killed
 *   storeWriter.ts <db> <runId> <models> finish — saves the models one transaction each, then finishes the run
 *   storeWriter.ts <db> <runId> <models> race   — says "ready" once the run is begun, waits for "go" on
 *     stdin (so two writers really write at the same time), then as finish; prints "window <first> <last>"
 */
import { openStore } from "../../src/store/resultStore.ts";
import { buildModel, buildRun } from "../helpers/resultsBuilder.ts";

const [dbPath, runId, countText, mode] = process.argv.slice(2);
if (!dbPath || !runId || !countText || (mode !== "hang" && mode !== "finish" && mode !== "race")) {
  process.stderr.write("usage: storeWriter.ts <db> <runId> <models> hang|finish|race\n");
  process.exit(2);
}
const store = openStore(dbPath);
store.beginRun(buildRun({ runId, finishedAt: null, models: [] }));
if (mode === "race") {
  process.stdout.write("ready\n");
  await new Promise<void>((resolve) => process.stdin.once("data", () => resolve()));
  process.stdin.pause();
}
const first = Date.now();
for (let i = 0; i < Number(countText); i++) {
  store.saveModel(runId, buildModel({ label: `model-${i}.gguf`, samples: { totalMs: [100 + i, 101 + i] } }, i));
}
const last = Date.now();
if (mode === "hang") {
  process.stdout.write("saved\n");
  setInterval(() => {}, 60_000);
} else {
  store.finishRun(runId, "2026-11-26T07:00:00.000Z", false);
  store.close();
  if (mode === "race") process.stdout.write(`window ${first} ${last}\n`);
}
