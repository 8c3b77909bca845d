import { GgufBenchError } from "../errors.ts";
import type { RunResults } from "../results/types.ts";

// STUB (contract) — implemented by the report owner.
export type ReportFormat = "md" | "html" | "csv" | "json";
export const ALL_REPORT_FORMATS: ReportFormat[] = ["md", "html", "csv", "json"];
/** Renders the reports of one or several runs (merged into one comparison) into outDir; returns the paths written. */
export async function writeReports(runs: RunResults[], outDir: string, formats: ReportFormat[]): Promise<string[]> {
  throw new GgufBenchError(
    "not-implemented",
    `cannot write reports of ${runs.length} run(s) to ${outDir} (${formats.join(",")})`,
  );
}
