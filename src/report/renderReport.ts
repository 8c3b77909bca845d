import { GgufBenchError, UsageError } from "../errors.ts";
import type { RunResults } from "../results/types.ts";
import { renderCsv } from "./renderCsv.ts";
import { renderHtml } from "./renderHtml.ts";
import { renderJson } from "./renderJson.ts";
import { renderMarkdown } from "./renderMarkdown.ts";

/** md: Markdown; html: one self-contained page with SVG charts; csv: one row per figure; json: results + analysis. */
export type ReportFormat = "md" | "html" | "csv" | "json";
export const ALL_REPORT_FORMATS: ReportFormat[] = ["md", "html", "csv", "json"];

const RENDERERS: Record<ReportFormat, (runs: RunResults[]) => string | Promise<string>> = {
  md: renderMarkdown,
  html: renderHtml,
  csv: renderCsv,
  json: renderJson,
};

/**
 * The report of one run, or of several merged into one comparison, as text in one format — the same text
 * `gguf-bench run` and `gguf-bench report` write to report.md / report.html / report.csv / report.json. A pure
 * function of the results (nothing is measured or read): the same runs give the same text. Every untrusted string
 * (model names, metadata) is escaped for the format; the HTML runs no script but its own table sorter (CSP).
 *
 * @param runs a RunResults object (the content of results.json) or several; at least one
 * @param format "md" | "html" | "csv" | "json"
 * @returns the report text (UTF-8, ending in a newline)
 * @throws GgufBenchError code "no-results" for an empty list, "usage" for an unknown format
 */
export async function renderReport(runs: RunResults | RunResults[], format: ReportFormat): Promise<string> {
  const list = Array.isArray(runs) ? runs : [runs];
  if (list.length === 0)
    throw new GgufBenchError("no-results", "no results to report: give at least one results file or run id");
  const render = Object.hasOwn(RENDERERS, format) ? RENDERERS[format] : undefined;
  if (!render) throw new UsageError(`unknown report format '${String(format)}' (choose md, html, csv or json)`);
  return render(list);
}
