import assert from "node:assert/strict";
import { test } from "node:test";
import { renderMarkdown } from "../../src/report/renderMarkdown.ts";
import type { LoadAtStart } from "../../src/results/types.ts";
import { validateRunResults } from "../../src/results/validateRunResults.ts";
import { busyAtStartNote } from "../../src/stats/busyStages.ts";
import { buildRun } from "../helpers/resultsBuilder.ts";
import { markdownSection } from "./reportFixtures.ts";

const REASON =
  "an openai endpoint's server is not a process gguf-bench started: its own CPU use cannot be told apart from other processes'";

/** An openai case as the runner records it: every stage's share null with its reason. */
function openaiRun(loadAtStart: LoadAtStart | null, notes: string[] = []) {
  const run = buildRun({ models: [{ label: "served.gguf", settings: { engine: "openai" } }] });
  run.config.loadAtStart = loadAtStart;
  run.config.notes = notes;
  const [model] = run.models;
  if (!model) throw new Error("fixture");
  model.otherCpu = ["3 prompts", "concurrency 1"].map((detail) => ({
    stage: "inference" as const,
    detail,
    wallMs: 1000,
    otherCpuFraction: null,
    unmeasuredReason: REASON,
  }));
  return run;
}

test("openai: the share that cannot be measured is said near the figures, with the start-of-run busy check", () => {
  const busyLoad = { loadAverage1m: 3.3, cores: 2 };
  const busyNote = busyAtStartNote(busyLoad);
  assert.match(busyNote ?? "", /^the machine was busy at the start \(1-minute load average 3\.3 on 2 cores\)/);
  assert.equal(busyAtStartNote({ loadAverage1m: 0.9, cores: 2 }), null);
  const busy = renderMarkdown([openaiRun(busyLoad)]);
  const warnings = markdownSection(busy, "Warnings");
  assert.match(
    warnings,
    /other processes' share of the cores not measured during inference \(an openai endpoint's server is not a process gguf-bench started/,
  );
  assert.match(warnings, /the start-of-run check found the machine busy \(1-minute load average 3\.3 on 2 cores\)/);
  assert.match(
    busy,
    /Note: other processes' share of the cores not measured during inference .* may not be this machine's real speed\./,
  );
  const idle = markdownSection(renderMarkdown([openaiRun({ loadAverage1m: 0.9, cores: 2 })]), "Warnings");
  assert.match(
    idle,
    /found the machine not busy \(1-minute load average 0\.9 on 2 cores, at most 0\.5 per core\), which says nothing of the rest of the run/,
  );
  // A case whose share was measured gets no such note.
  const measured = openaiRun(busyLoad);
  for (const s of measured.models[0]?.otherCpu ?? [])
    Object.assign(s, { otherCpuFraction: 0.01, unmeasuredReason: null });
  assert.doesNotMatch(renderMarkdown([measured]), /not measured during inference/);
});

test("openai: the start-of-run check is decided from the recorded numbers, never from the notes' text", () => {
  // A note that reads like the busy note (a model label or an edited file can say anything) with an idle load.
  const lookalike = openaiRun({ loadAverage1m: 0.2, cores: 2 }, [
    "the machine was busy at the start (1-minute load average 9.9 on 2 cores): a look-alike",
  ]);
  const warnings = markdownSection(renderMarkdown([lookalike]), "Warnings");
  assert.match(warnings, /found the machine not busy \(1-minute load average 0\.2 on 2 cores/);
  assert.doesNotMatch(warnings, /found the machine busy/);
});

test("results.json from before config.loadAtStart reads as not recorded, and the report says so", () => {
  const older = openaiRun(null, ["the machine was busy at the start (1-minute load average 3.3 on 2 cores): …"]);
  const json = JSON.parse(JSON.stringify(older));
  delete json.config.loadAtStart;
  const read = validateRunResults(json, "older.json");
  const warnings = markdownSection(renderMarkdown([read]), "Warnings");
  assert.match(warnings, /not measured during inference .*; the run recorded no start-of-run load average either/);
  assert.doesNotMatch(warnings, /found the machine/);
});
