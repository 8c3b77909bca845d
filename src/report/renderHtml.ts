import { analyzeRuns } from "../analysis/caseAnalysis.ts";
import type { RunResults } from "../results/types.ts";
import { buildReport } from "./buildReport.ts";
import { renderCharts } from "./charts.ts";
import { escapeHtml } from "./escapeHtml.ts";
import { contentSecurityPolicy, REPORT_CSS, SORT_SCRIPT } from "./htmlAssets.ts";
import type { Block, ChartId } from "./reportDocument.ts";

/**
 * One self-contained HTML file: the same blocks as the Markdown report, sortable tables, and charts as
 * inline SVG rendered here in Node. Every text is escaped; only the report's own script may run (CSP).
 */
export async function renderHtml(runs: RunResults[]): Promise<string> {
  const analysis = analyzeRuns(runs);
  const charts = await renderCharts(analysis);
  const body = buildReport(runs, analysis)
    .map((block) => blockToHtml(block, charts))
    .join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy())}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>gguf-bench report</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
${body}
</main>
<script>${SORT_SCRIPT}</script>
</body>
</html>
`;
}

function blockToHtml(block: Block, charts: Record<ChartId, string | null>): string {
  switch (block.kind) {
    case "heading":
      return `<h${block.level}>${escapeHtml(block.text)}</h${block.level}>`;
    case "paragraph":
      return `<p>${escapeHtml(block.text)}</p>`;
    case "list":
      return block.items.length === 0 ? "" : `<ul>${block.items.map((i) => `<li>${escapeHtml(i)}</li>`).join("")}</ul>`;
    case "table": {
      const head = block.columns
        .map(
          (c) =>
            `<th scope="col"${c.numeric ? ' class="num"' : ""}><button type="button">${escapeHtml(c.label)}</button></th>`,
        )
        .join("");
      const rows = block.rows
        .map(
          (row) =>
            `<tr>${row
              .map((cell, k) => {
                const numeric = block.columns[k]?.numeric ?? false;
                const sort = cell.sort !== undefined && Number.isFinite(cell.sort) ? ` data-sort="${cell.sort}"` : "";
                return `<td${numeric ? ' class="num"' : ""}${sort}>${escapeHtml(cell.text)}</td>`;
              })
              .join("")}</tr>`,
        )
        .join("\n");
      return `<div class="table-wrap"><table class="sortable" id="${escapeHtml(block.id)}"><thead><tr>${head}</tr></thead><tbody>\n${rows}\n</tbody></table></div>`;
    }
    case "chart": {
      const svg = charts[block.chartId];
      // The SVG comes from vega's renderer, which escapes every text it draws (tested with hostile names).
      return svg
        ? `<figure class="chart" data-chart="${block.chartId}"><figcaption>${escapeHtml(block.title)}</figcaption>${svg}</figure>`
        : `<p>${escapeHtml(block.title)}: no data to chart.</p>`;
    }
    default:
      return block satisfies never;
  }
}
