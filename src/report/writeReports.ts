import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { GgufBenchError } from "../errors.ts";
import type { RunResults } from "../results/types.ts";
import { ALL_REPORT_FORMATS, type ReportFormat, renderReport } from "./renderReport.ts";

export { ALL_REPORT_FORMATS, type ReportFormat };

const FILE_NAMES: Record<ReportFormat, string> = {
  md: "report.md",
  html: "report.html",
  csv: "report.csv",
  json: "report.json",
};

/** Renders the reports of one or several runs (merged into one comparison) into outDir; returns the paths written. */
export async function writeReports(runs: RunResults[], outDir: string, formats: ReportFormat[]): Promise<string[]> {
  if (runs.length === 0)
    throw new GgufBenchError("no-results", "no results to report: give at least one results file or run id");
  try {
    await mkdir(outDir, { recursive: true });
  } catch (error) {
    throw new GgufBenchError(
      "report-write-failed",
      `cannot create the report folder ${outDir}: ${(error as Error).message}`,
    );
  }
  const written: string[] = [];
  for (const format of [...new Set(formats)]) {
    const path = join(outDir, FILE_NAMES[format]);
    const content = await renderReport(runs, format);
    try {
      await writeFile(path, content, "utf8");
    } catch (error) {
      throw new GgufBenchError("report-write-failed", `cannot write ${path}: ${(error as Error).message}`);
    }
    written.push(path);
  }
  return written;
}
