import { markdownTable } from "markdown-table";
import { analyzeRuns } from "../analysis/caseAnalysis.ts";
import type { RunResults } from "../results/types.ts";
import { boundStrings } from "../text/boundStrings.ts";
import { buildReport } from "./buildReport.ts";
import { escapeMarkdown } from "./escapeMarkdown.ts";
import type { Block, InlinePart, TableBlock } from "./reportDocument.ts";

/**
 * The whole Markdown report of one or several runs (merged into one comparison). Pure. Every string of the results
 * is bounded first (boundStrings), so the report's own sentences are shown whole and only escaped.
 */
export function renderMarkdown(runs: RunResults[]): string {
  const bounded = boundStrings(runs);
  return blocksToMarkdown(buildReport(bounded, analyzeRuns(bounded)));
}

export function blocksToMarkdown(blocks: Block[]): string {
  return `${blocks.flatMap(blockToMarkdown).join("\n\n")}\n`;
}

function blockToMarkdown(block: Block): string[] {
  switch (block.kind) {
    case "heading":
      return [`${"#".repeat(block.level)} ${escapeMarkdown(block.text)}`];
    case "paragraph":
      return [block.parts ? block.parts.map(inlineToMarkdown).join("") : escapeMarkdown(block.text)];
    case "list":
      return block.items.length > 0 ? [block.items.map((item) => `- ${escapeMarkdown(item)}`).join("\n")] : [];
    case "table":
      return [tableToMarkdown(block)];
    case "chart":
      // Charts are drawn in the HTML report; here their numbers as a table, when no table nearby has them.
      // The title is escaped, so it cannot end the bold span early.
      return block.data ? [`**${escapeMarkdown(block.title)}**`, tableToMarkdown(block.data)] : [];
    case "details":
      return [
        `${"#".repeat(block.heading.level)} ${escapeMarkdown(block.heading.text)}`,
        ...block.blocks.flatMap(blockToMarkdown),
      ];
    default:
      return block satisfies never;
  }
}

/** Prose escaped; code as a code span whose fence is longer than any backtick run inside it (CommonMark). */
function inlineToMarkdown(part: InlinePart): string {
  if (!("code" in part)) return escapeMarkdown(part.text);
  const longest = Math.max(0, ...(part.code.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = part.code.startsWith("`") || part.code.endsWith("`") ? " " : "";
  return `${fence}${pad}${part.code.replace(/[\r\n]+/g, " ")}${pad}${fence}`;
}

function tableToMarkdown(block: TableBlock): string {
  return markdownTable(
    [
      block.columns.map((c) => escapeMarkdown(c.label)),
      ...block.rows.map((row) => row.map((cell) => escapeMarkdown(cell.text))),
    ],
    { align: block.columns.map((c) => (c.numeric ? "r" : "l")) },
  );
}
