import { markdownTable } from "markdown-table";
import { analyzeRuns } from "../analysis/caseAnalysis.ts";
import type { RunResults } from "../results/types.ts";
import { buildReport } from "./buildReport.ts";
import { escapeMarkdown } from "./escapeMarkdown.ts";
import type { Block } from "./reportDocument.ts";

/** The whole Markdown report of one or several runs (merged into one comparison). Pure. */
export function renderMarkdown(runs: RunResults[]): string {
  return blocksToMarkdown(buildReport(runs, analyzeRuns(runs)));
}

export function blocksToMarkdown(blocks: Block[]): string {
  const parts: string[] = [];
  for (const block of blocks) {
    switch (block.kind) {
      case "heading":
        parts.push(`${"#".repeat(block.level)} ${escapeMarkdown(block.text)}`);
        break;
      case "paragraph":
        parts.push(escapeMarkdown(block.text));
        break;
      case "list":
        if (block.items.length > 0) parts.push(block.items.map((item) => `- ${escapeMarkdown(item)}`).join("\n"));
        break;
      case "table":
        parts.push(
          markdownTable(
            [
              block.columns.map((c) => escapeMarkdown(c.label)),
              ...block.rows.map((row) => row.map((cell) => escapeMarkdown(cell.text))),
            ],
            { align: block.columns.map((c) => (c.numeric ? "r" : "l")) },
          ),
        );
        break;
      case "chart":
        // Charts are drawn in the HTML report; the tables beside them hold the same numbers.
        break;
      default:
        block satisfies never;
    }
  }
  return `${parts.join("\n\n")}\n`;
}
