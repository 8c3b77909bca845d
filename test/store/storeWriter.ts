/**
 * Child process for the store tests (not a test file itself): writes a run into a real database.
 *   storeWriter.ts <db> <runId> <models> hang [host]   — saves the models, says "saved", then waits to be killed
 *   storeWriter.ts <db> <runId> <models> finish [host] — saves the models one transaction each, then finishes
 *   storeWriter.ts <db> <runId> <models> race [host]   — says "ready" once the run is begun, waits for "go" on
 *     stdin (so the writers really write at the same time), then as finish; prints "window <first> <last>"
 *     and "saves <ms,ms,…>" (the time of each saveModel)
 * `host` is the environment's hostname: a different one is a different machine.
 */
import { openStore } from "../../src/store/resultStore.ts";
import { buildModel, buildRun } from "../helpers/resultsBuilder.ts";

const [db, runId, countText, mode, host] = process.argv.slice(2);
if (!db || !runId || !countText || (mode !== "hang" && mode !== "finish" && mode !== "race")) {
  process.stderr.write("usage: storeWriter.ts <db> <runId> <models> hang|finish|race [host]\n");
  process.exit(2);
}
const store = await openStore(db);
const environment = host === undefined ? {} : { hostname: host };
await store.beginRun(buildRun({ runId, finishedAt: null, models: [], environment }));
if (mode === "race") {
  process.stdout.write("ready\n");
  await new Promise<void>((resolve) => process.stdin.once("data", () => resolve()));
  process.stdin.pause();
}
const saves: number[] = [];
const first = Date.now();
for (let i = 0; i < Number(countText); i++) {
  const model = buildModel({ label: `model-${i}.gguf`, samples: { totalMs: [100 + i, 101 + i] } }, i);
  const t0 = performance.now();
  await store.saveModel(runId, model);
  saves.push(performance.now() - t0);
}
const last = Date.now();
if (mode === "hang") {
  process.stdout.write("saved\n");
  setInterval(() => {}, 60_000);
} else {
  await store.finishRun(runId, "2026-11-26T07:00:00.000Z", false);
  await store.close();
  if (mode === "race")
    process.stdout.write(`window ${first} ${last}\nsaves ${saves.map((s) => s.toFixed(3)).join(",")}\n`);
}
