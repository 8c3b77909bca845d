import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { ENGINE_WARM_UP_DETAIL, type RunResults, type StageCpuShare } from "../../src/results/types.ts";
import { BUSY_STAGE_FRACTION } from "../../src/stats/busyStages.ts";
import { tinyModel } from "../helpers/tinyModel.ts";
import { runCli, SMALL_RUN } from "./helpers.ts";

const linuxOnly = { skip: process.platform !== "linux" ? "reads /proc" : false };

/** A child that spins on one core until killed. */
async function startBurner(): Promise<ChildProcess> {
  const burner = spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" });
  await new Promise((resolve) => burner.once("spawn", resolve));
  return burner;
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const closed = new Promise((resolve) => child.once("close", resolve));
  child.kill("SIGKILL");
  await closed;
}

/** SMALL_RUN with more timed tokens (the inference stage must last well over 40 clock ticks) and three reports. */
const OVERRIDES: Record<string, string> = { "--runs": "4", "--max-tokens": "64", "--format": "md,json,html" };

/** One small run of a tiny model; its results and reports. */
async function runTiny(
  out: string,
): Promise<{ results: RunResults; markdown: string; reportJson: string; html: string }> {
  const model = await tinyModel(out, "busy.gguf");
  const small = SMALL_RUN.filter((arg, i) => !(arg in OVERRIDES || (SMALL_RUN[i - 1] ?? "") in OVERRIDES));
  const { code, stdout, stderr } = await runCli([
    "run",
    model,
    ...small,
    ...Object.entries(OVERRIDES).flat(),
    "--out",
    out,
    "--json",
  ]);
  assert.equal(code, 0, stderr);
  const results = JSON.parse(stdout) as RunResults;
  const markdown = await readFile(path.join(out, "report.md"), "utf8");
  const reportJson = await readFile(path.join(out, "report.json"), "utf8");
  const html = await readFile(path.join(out, "report.html"), "utf8");
  return { results, markdown, reportJson, html };
}

function stagesOf(results: RunResults): StageCpuShare[] {
  const [model] = results.models;
  assert.ok(model, "one model ran");
  assert.ok(model.otherCpu && model.otherCpu.length > 0, "every run records the stages' CPU shares");
  for (const s of model.otherCpu) {
    if (s.otherCpuFraction === null) assert.ok(s.unmeasuredReason, `a null share says why: ${JSON.stringify(s)}`);
    else assert.ok(s.otherCpuFraction >= 0 && s.otherCpuFraction <= 1 && s.unmeasuredReason === null);
  }
  assert.deepEqual(
    [...new Set(model.otherCpu.map((s) => s.stage))].filter((s) => s === "load" || s === "inference"),
    ["load", "inference"],
  );
  return model.otherCpu;
}

test(
  "a process burning a core during the run: the stages record other processes' share and the report warns",
  linuxOnly,
  async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), "gguf-bench-busy-"));
    const burner = await startBurner();
    try {
      const { results, markdown, reportJson, html } = await runTiny(out);
      const stages = stagesOf(results);
      // The burner alone takes a whole core of the machine's cores while it runs; whatever else ran only adds to it.
      // The timed inference stage (not the untimed engine warm-up), the longest of the run.
      const timed = stages.find((s) => s.stage === "inference" && s.detail !== ENGINE_WARM_UP_DETAIL);
      assert.ok(
        timed && timed.otherCpuFraction !== null,
        `the timed inference stage measured: ${JSON.stringify(stages)}`,
      );
      assert.ok(
        (timed.otherCpuFraction as number) > BUSY_STAGE_FRACTION,
        `other processes' share ${timed.otherCpuFraction} with a core burning`,
      );
      const [model] = results.models;
      assert.ok(model);
      assert.match(markdown, /busy-machine: other processes used more than 10% of the cores during \d+ stage/);
      const share = Math.round((timed.otherCpuFraction as number) * 100);
      assert.ok(
        markdown.includes(`inference (${timed.detail}) ${share}%`),
        "the warning names the stage and its share",
      );
      assert.ok(markdown.includes(`${model.label}: busy-machine`), "the summary's warnings name the model");
      // The warm-up ran beside the burner too, but none of its figures are reported: the warning leaves it out.
      assert.ok(stages.some((s) => s.detail === ENGINE_WARM_UP_DETAIL));
      assert.doesNotMatch(markdown, /busy-machine: [^\n]*warm-up/);
      assert.match(markdown, /not this machine's real speed/);
      assert.match(markdown, /spin at barriers while one of them is preempted/);
      assert.match(html, /busy-machine: other processes used more than 10% of the cores/);
      assert.match(html, /not this machine&#39;s real speed/);
      assert.match(reportJson, /"busyMachine": \{\s+"code": "busy-machine"/);
    } finally {
      await stopProcess(burner);
      await rm(out, { recursive: true, force: true });
    }
  },
);

test(
  "without a burner of ours the shares are still recorded, each a number in [0, 1] or null with a reason",
  linuxOnly,
  async () => {
    // Other tests may run on this machine at the same time: whether the share passes the threshold is not asserted.
    const out = await mkdtemp(path.join(os.tmpdir(), "gguf-bench-busy-"));
    try {
      const { results } = await runTiny(out);
      const stages = stagesOf(results);
      assert.ok(stages.every((s) => s.wallMs >= 0));
      assert.ok(
        stages.some((s) => s.otherCpuFraction !== null),
        JSON.stringify(stages),
      );
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  },
);
