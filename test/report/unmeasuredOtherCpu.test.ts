import assert from "node:assert/strict";
import { test } from "node:test";
import { renderMarkdown } from "../../src/report/renderMarkdown.ts";
import { busyAtStartNote } from "../../src/stats/busyStages.ts";
import { buildRun } from "../helpers/resultsBuilder.ts";
import { markdownSection } from "./reportFixtures.ts";

const REASON =
  "an openai endpoint's server is not a process gguf-bench started: its own CPU use cannot be told apart from other processes'";

/** An openai case as the runner records it: every stage's share null with its reason. */
function openaiRun(notes: string[]) {
  const run = buildRun({ models: [{ label: "served.gguf", settings: { engine: "openai" } }] });
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
  const busyNote = busyAtStartNote(3.3, 2);
  assert.ok(busyNote, "3.3 on 2 cores is busy");
  assert.equal(busyAtStartNote(0.9, 2), null);
  const busy = renderMarkdown([openaiRun([busyNote])]);
  const warnings = markdownSection(busy, "Warnings");
  assert.match(
    warnings,
    /other processes' share of the cores not measured during inference \(an openai endpoint's server is not a process gguf-bench started/,
  );
  assert.match(
    warnings,
    /the start-of-run check says the machine was busy at the start \(1-minute load average 3\.3 on 2 cores\)/,
  );
  assert.match(
    busy,
    /Note: other processes' share of the cores not measured during inference .* may not be this machine's real speed\./,
  );
  const idle = markdownSection(renderMarkdown([openaiRun([])]), "Warnings");
  assert.match(
    idle,
    /found the machine not busy \(1-minute load average at most 0\.5 per core\), which says nothing of the rest of the run/,
  );
  // A case whose share was measured gets no such note.
  const measured = openaiRun([busyNote]);
  for (const s of measured.models[0]?.otherCpu ?? [])
    Object.assign(s, { otherCpuFraction: 0.01, unmeasuredReason: null });
  assert.doesNotMatch(renderMarkdown([measured]), /not measured during inference/);
});
