import { join } from "node:path";
import { GgufBenchError } from "../errors.ts";
import { fsErrorText } from "../files/fsErrorText.ts";
import { makeFolder, removeMadeFolders } from "../files/makeFolder.ts";
import { writeFileAtomic } from "../files/writeFileAtomic.ts";
import type { RunResults } from "../results/types.ts";
import { ALL_REPORT_FORMATS, type ReportFormat, renderReport } from "./renderReport.ts";

export { ALL_REPORT_FORMATS, type ReportFormat };

const FILE_NAMES: Record<ReportFormat, string> = {
  md: "report.md",
  html: "report.html",
  csv: "report.csv",
  json: "report.json",
};
/** Every file name a report may have (a run's folder holding one of them is not fresh). */
export const REPORT_FILE_NAMES: readonly string[] = Object.values(FILE_NAMES);

/**
 * Renders the reports of one or several runs (merged into one comparison) into outDir; returns the paths
 * written. Each file is written to a temporary name and moved into place, so a full or read-only disk leaves
 * no half-written report (an earlier report of the same name stays as it was). Every format is tried; when any
 * fails, throws one GgufBenchError (`report-write-failed`) naming the files not written and why. When none was
 * written, the folders this call created for outDir are removed again (only while empty).
 */
export async function writeReports(runs: RunResults[], outDir: string, formats: ReportFormat[]): Promise<string[]> {
  if (runs.length === 0)
    throw new GgufBenchError("no-results", "no results to report: give at least one results file or run id");
  let made: string | undefined;
  try {
    made = await makeFolder(outDir);
  } catch (error) {
    throw new GgufBenchError("report-write-failed", `cannot create the report folder ${outDir}: ${fsErrorText(error)}`);
  }
  const written: string[] = [];
  const failed: string[] = [];
  try {
    for (const format of [...new Set(formats)]) {
      const path = join(outDir, FILE_NAMES[format]);
      const content = await renderReport(runs, format);
      try {
        await writeFileAtomic(path, content);
        written.push(path);
      } catch (error) {
        failed.push(`${FILE_NAMES[format]} (${fsErrorText(error)})`);
      }
    }
  } finally {
    // Nothing written: the folder this call made is not left behind, empty.
    if (written.length === 0) await removeMadeFolders(outDir, made);
  }
  if (failed.length > 0) {
    const done = written.length > 0 ? `; written: ${written.map((p) => p.slice(outDir.length + 1)).join(", ")}` : "";
    throw new GgufBenchError("report-write-failed", `reports not written to ${outDir}: ${failed.join(", ")}${done}`);
  }
  return written;
}
