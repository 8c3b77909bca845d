/**
 * Child process for historyWriter.test.ts (not a test itself): writes the three-model run of the test
 * through a HistoryWriter, as `run` would, pausing after the first model.
 *   historyWriterChild.ts <db> <waitMs> <runJson> — begins, stores model 0, says "first", waits for a line on
 *   stdin, stores the others, finishes, prints "notStored <json>" and exits.
 */
import type { RunResults } from "../../src/results/types.ts";
import { resolveDbLocation } from "../../src/store/dbLocation.ts";
import { HistoryWriter } from "../../src/store/historyWriter.ts";

const [db, waitText, runJson] = process.argv.slice(2);
if (!db || !waitText || !runJson) {
  process.stderr.write("usage: historyWriterChild.ts <db> <waitMs> <runJson>\n");
  process.exit(2);
}
const run = JSON.parse(runJson) as RunResults;
const writer = new HistoryWriter(resolveDbLocation(db), Number(waitText));
await writer.begin(run);
const [first, ...rest] = run.models;
if (first) await writer.model(run.runId, first);
process.stdout.write("first\n");
await new Promise<void>((resolve) => process.stdin.once("data", () => resolve()));
process.stdin.pause();
for (const model of rest) await writer.model(run.runId, model);
await writer.finish(run.runId, "2026-11-26T07:00:00.000Z", false);
process.stdout.write(`notStored ${JSON.stringify(writer.notStored())}\n`);
