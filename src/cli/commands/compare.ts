import { Command, Option } from "@commander-js/extra-typings";
import { compareRuns } from "../../compare/compareRuns.ts";
import { findLostCases } from "../../compare/findLostCases.ts";
import { findRegressions } from "../../compare/findRegressions.ts";
import { renderComparisonJson } from "../../compare/renderComparisonJson.ts";
import { renderComparisonMarkdown } from "../../compare/renderComparisonMarkdown.ts";
import { RunResolver } from "../../compare/resolveRun.ts";
import { UsageError } from "../../errors.ts";
import { resolveDbLocation } from "../../store/dbLocation.ts";
import { DB_OPTION_HELP } from "../dbOption.ts";
import { writeErrLine, writeOut } from "../output.ts";
import type { SetExitCode } from "../setExitCode.ts";

export function compareCommand(setExitCode: SetExitCode) {
  return new Command("compare")
    .description(
      "Compare run B against run A per model and metric: change with a 95% interval, Welch's t-test, warnings when environment or settings differ.",
    )
    .argument("<run-a>", "baseline: run id or unique prefix, or a results.json path")
    .argument("<run-b>", "candidate: run id or unique prefix, or a results.json path")
    .addOption(new Option("--format <format>", "output format").choices(["md", "json"] as const).default("md" as const))
    .option(
      "--fail-on-regression <percent>",
      "exit 1 when a metric got significantly worse by more than this many percent, or a case of run A crashed, timed out, failed or is missing in run B (for CI)",
    )
    .option("--db <path-or-url>", DB_OPTION_HELP)
    .action(async (refA, refB, options) => {
      const threshold = parseThreshold(options.failOnRegression);
      const resolver = new RunResolver(resolveDbLocation(options.db));
      try {
        const a = await resolver.resolve(refA);
        const b = await resolver.resolve(refB);
        const comparison = compareRuns(a.run, b.run, { a: a.source, b: b.source });
        writeOut(options.format === "json" ? renderComparisonJson(comparison) : renderComparisonMarkdown(comparison));
        if (threshold === undefined) return;
        const regressions = findRegressions(comparison, threshold);
        if (regressions.length > 0) {
          const list = regressions
            .map((r) => `${r.model.a.label} ${r.metric.label} ${(r.metric.changePercent ?? 0).toFixed(1)}%`)
            .join("; ");
          writeErrLine(`${regressions.length} metric(s) got significantly worse by more than ${threshold}%: ${list}`);
          setExitCode(1);
        }
        // A case that crashed, timed out or vanished in B has no figures to compare: the worst regression of all.
        const lost = findLostCases(a.run, b.run);
        if (lost.length > 0) {
          writeErrLine(
            `${lost.length} case(s) of run A lost in run B: ${lost.map((c) => `${c.caseId} ${c.why}`).join("; ")}`,
          );
          setExitCode(1);
        }
      } finally {
        await resolver.close();
      }
    });
}

function parseThreshold(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value < 0) {
    throw new UsageError(`--fail-on-regression expects a percentage ≥ 0, e.g. 5 (got "${text}")`);
  }
  return value;
}
