import assert from "node:assert/strict";
import { test } from "node:test";
import { bestSettings } from "../../src/analysis/bestSettings.ts";
import { renderCsv } from "../../src/report/renderCsv.ts";
import { renderMarkdown } from "../../src/report/renderMarkdown.ts";
import { ENGINE_WARM_UP_DETAIL, type ModelResult, type StageCpuShare } from "../../src/results/types.ts";
import { busiestShare, busyWarning } from "../../src/stats/busyStages.ts";
import { buildRun } from "../helpers/resultsBuilder.ts";
import { markdownSection } from "../report/reportFixtures.ts";

const share = (detail: string, otherCpuFraction: number): StageCpuShare => ({
  stage: "inference",
  detail,
  wallMs: 2000,
  otherCpuFraction,
  unmeasuredReason: null,
});

/** Two in-process cases of one model (threads 1 and 2) with the stages' shares given. */
function sweep(stages: StageCpuShare[]) {
  const run = buildRun({
    models: [
      { label: "m.gguf", settings: { threads: 1 }, samples: { generationTokensPerSecond: [100, 101, 99, 100] } },
      { label: "m.gguf", settings: { threads: 2 }, samples: { generationTokensPerSecond: [200, 201, 199, 200] } },
    ],
  });
  for (const m of run.models) m.otherCpu = stages.map((s) => ({ ...s }));
  return run;
}

const only = (models: ModelResult[]): ModelResult => models[0] as ModelResult;

test("a busy untimed engine warm-up alone: no busy-machine warning, no refused verdict, its share still shown", () => {
  const run = sweep([share(ENGINE_WARM_UP_DETAIL, 0.9), share("3 prompts", 0.02)]);
  const model = only(run.models);
  assert.equal(busyWarning(model), null);
  assert.equal(busiestShare(model, "inference"), null);
  const [best] = bestSettings(run.models);
  assert.equal(best?.runnerUp?.busyOtherCpuFraction, null);
  assert.equal(best?.runnerUp?.significant, true, "threads 2 is clearly faster and nothing that was timed was busy");
  const markdown = renderMarkdown([run]);
  assert.doesNotMatch(markdown, /busy-machine/);
  assert.match(markdown, /inference: engine warm-up \(untimed\) \|\s*2,000 ms \|\s*90\.0% \|/);
  assert.match(markdown, /The engine warm-up is never flagged: it is untimed and none of its figures are reported/);
  const warmUpCsv = renderCsv([run])
    .split("\n")
    .filter((line) => line.includes(ENGINE_WARM_UP_DETAIL));
  assert.ok(warmUpCsv.some((line) => line.includes("other_cpu_fraction") && line.includes("0.9")));
  assert.ok(!warmUpCsv.some((line) => line.includes("busy-machine")), warmUpCsv.join("\n"));
});

test("a busy timed stage beside a busier warm-up: the warning and the refused verdict name the timed stage only", () => {
  const run = sweep([share(ENGINE_WARM_UP_DETAIL, 0.9), share("3 prompts", 0.3)]);
  const model = only(run.models);
  const warning = busyWarning(model);
  assert.match(warning?.message ?? "", /during 1 stage\(s\): inference \(3 prompts\) 30%;/);
  assert.doesNotMatch(warning?.message ?? "", /warm-up/);
  assert.equal(busiestShare(model, "inference"), 0.3);
  const [best] = bestSettings(run.models);
  assert.equal(best?.runnerUp?.busyOtherCpuFraction, 0.3);
  assert.equal(best?.runnerUp?.significant, false);
  assert.doesNotMatch(markdownSection(renderMarkdown([run]), "Warnings"), /warm-up/);
});
