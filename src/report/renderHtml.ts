import { analyzeRuns } from "../analysis/caseAnalysis.ts";
import type { RunResults } from "../results/types.ts";
import { boundStrings } from "../text/boundStrings.ts";
import { buildReport } from "./buildReport.ts";
import { chartToSvg } from "./charts.ts";
import { escapeHtml } from "./escapeHtml.ts";
import { contentSecurityPolicy, REPORT_CSS, SORT_SCRIPT } from "./htmlAssets.ts";
import type { Block, ChartBlock, TableBlock } from "./reportDocument.ts";

/**
 * One self-contained HTML file: the same blocks as the Markdown report, a table of contents, sortable tables,
 * each model's details folded, and charts as inline SVG rendered here in Node. Every text is escaped; only the
 * report's own script may run (CSP). Every string of the results is bounded first (boundStrings), so the report's
 * own sentences are shown whole and only escaped.
 */
export async function renderHtml(runs: RunResults[]): Promise<string> {
  const bounded = boundStrings(runs);
  const blocks = buildReport(bounded, analyzeRuns(bounded));
  const svgs = new Map<ChartBlock, string>();
  for (const chart of chartBlocks(blocks)) if (chart.spec) svgs.set(chart, await chartToSvg(chart.spec));
  const anchors = sectionAnchors(blocks);
  const toc = [...anchors]
    .map(([block, id]) => `<li><a href="#${escapeHtml(id)}">${escapeHtml(block.text)}</a></li>`)
    .join("");
  const nav = `<nav aria-label="Sections"><ol>${toc}</ol></nav>`;
  // The table of contents goes under the title.
  const body = blocks
    .map((block) => {
      const html = blockToHtml(block, svgs, anchors);
      return block.kind === "heading" && block.level === 1 ? `${html}\n${nav}` : html;
    })
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

type Heading = Extract<Block, { kind: "heading" }>;

function chartBlocks(blocks: Block[]): ChartBlock[] {
  return blocks.flatMap((b) => (b.kind === "chart" ? [b] : b.kind === "details" ? chartBlocks(b.blocks) : []));
}

/** An id for each top-level section heading (level 2), for the table of contents. */
function sectionAnchors(blocks: Block[]): Map<Heading, string> {
  const anchors = new Map<Heading, string>();
  const used = new Set<string>();
  for (const block of blocks) {
    if (block.kind !== "heading" || block.level !== 2) continue;
    const base = `s-${block.text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")}`;
    let id = base;
    for (let k = 2; used.has(id); k++) id = `${base}-${k}`;
    used.add(id);
    anchors.set(block, id);
  }
  return anchors;
}

function blockToHtml(block: Block, svgs: Map<ChartBlock, string>, anchors: Map<Heading, string>): string {
  switch (block.kind) {
    case "heading": {
      const id = anchors.get(block);
      return `<h${block.level}${id ? ` id="${escapeHtml(id)}"` : ""}>${escapeHtml(block.text)}</h${block.level}>`;
    }
    case "paragraph":
      return `<p>${block.parts ? block.parts.map((p) => ("code" in p ? `<code>${escapeHtml(p.code)}</code>` : escapeHtml(p.text))).join("") : escapeHtml(block.text)}</p>`;
    case "list":
      return block.items.length === 0 ? "" : `<ul>${block.items.map((i) => `<li>${escapeHtml(i)}</li>`).join("")}</ul>`;
    case "table":
      return tableToHtml(block);
    case "chart": {
      const svg = svgs.get(block);
      // The SVG comes from vega's renderer, which escapes every text it draws (tested with hostile names).
      if (!svg) {
        const table = block.data ? tableToHtml(block.data) : "";
        return `<p>${escapeHtml(block.title)}: no data to chart.</p>${table}`;
      }
      const data = block.data
        ? `<details class="chart-data"><summary>The numbers</summary>${tableToHtml(block.data)}</details>`
        : "";
      return `<figure class="chart" data-chart="${escapeHtml(block.id)}"><figcaption>${escapeHtml(block.title)}</figcaption>${svg}${data}</figure>`;
    }
    case "details": {
      const h = block.heading;
      const inner = block.blocks.map((b) => blockToHtml(b, svgs, anchors)).join("\n");
      return `<details class="fold" id="${escapeHtml(block.id)}"><summary><h${h.level}>${escapeHtml(h.text)}</h${h.level}> <span class="fold-summary">${escapeHtml(block.summary)}</span></summary>\n${inner}\n</details>`;
    }
    default:
      return block satisfies never;
  }
}

function tableToHtml(block: TableBlock): string {
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
