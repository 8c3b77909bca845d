import { resolve } from "node:path";
import { Command } from "@commander-js/extra-typings";
import { RunResolver } from "../../compare/resolveRun.ts";
import { UsageError } from "../../errors.ts";
import { ALL_REPORT_FORMATS, type ReportFormat, writeReports } from "../../report/writeReports.ts";
import { caseStatus } from "../../results/caseStatus.ts";
import type { RunResults } from "../../results/types.ts";
import { resolveDbLocation } from "../../store/dbLocation.ts";
import { DB_OPTION_HELP } from "../dbOption.ts";
import { writeErrLine, writeOut } from "../output.ts";
import type { SetExitCode } from "../setExitCode.ts";

const DEFAULT_OUT = "gguf-bench-report";

export function reportCommand(setExitCode: SetExitCode) {
  return new Command("report")
    .description(
      "Re-render the reports (Markdown, HTML, CSV, JSON) from results files or run ids of the history; several merge into one comparison.",
    )
    .argument("<results...>", "results.json files, or run ids (or unique id prefixes) from the history database")
    .option("--format <list>", `report formats: ${ALL_REPORT_FORMATS.join(",")} (default all)`)
    .option("--out <dir>", `output folder (default ./${DEFAULT_OUT})`)
    .option("--db <path-or-url>", `for run ids: ${DB_OPTION_HELP}`)
    .action(async (sources, options) => {
      const formats = parseFormats(options.format);
      if (options.out !== undefined && options.out.trim() === "")
        throw new UsageError(`--out needs a folder (default ./${DEFAULT_OUT})`);
      const runs: RunResults[] = [];
      const resolver = new RunResolver(resolveDbLocation(options.db));
      try {
        for (const source of sources) {
          const { run } = await resolver.resolve(source);
          // The same run given twice (file and id, or two copies) would only duplicate every row.
          if (runs.some((other) => other.runId === run.runId)) {
            writeErrLine(`${source}: run ${run.runId} already included, skipped`);
            continue;
          }
          runs.push(run);
        }
      } finally {
        await resolver.close();
      }
      const paths = await writeReports(runs, resolve(options.out ?? DEFAULT_OUT), formats);
      for (const path of paths) writeOut(`${path}\n`);
      // A run with no end was stopped hard (a second Ctrl-C, SIGKILL, power loss) or is still going.
      const incomplete = (run: RunResults) => run.interrupted || run.finishedAt === null;
      if (runs.some((run) => incomplete(run) || run.models.some((m) => caseStatus(m) === "failed"))) {
        // The reports were written; the exit code still tells scripts that the data is incomplete or has failures.
        setExitCode(1);
      }
    });
}

function parseFormats(value: string | undefined): ReportFormat[] {
  if (value === undefined) return ALL_REPORT_FORMATS;
  const formats = value.split(",").map((s) => s.trim());
  for (const format of formats) {
    if (!(ALL_REPORT_FORMATS as string[]).includes(format)) {
      throw new UsageError(`--format: unknown format '${format}' (choose from ${ALL_REPORT_FORMATS.join(", ")})`);
    }
  }
  return formats as ReportFormat[];
}
