import type { ReportAnalysis } from "../analysis/caseAnalysis.ts";
import {
  type EngineComparison,
  type EngineRow,
  engineComparisons,
  FAR_BELOW_NATIVE,
} from "../analysis/engineComparison.ts";
import type { Summary } from "../results/types.ts";
import { formatNumber, formatPercent, MIB } from "./formatValue.ts";
import { type Block, type Cell, emptyCell, numberCell, textCell } from "./reportDocument.ts";

const COLUMNS = [
  "Engine",
  "Prompt (tokens/s, 95% CI)",
  "Generation (tokens/s, 95% CI)",
  "TTFT (ms)",
  "Peak memory (MiB)",
  "Load (ms)",
  "Server prompt (tokens/s)",
  "Server generation (tokens/s)",
  "Serving overhead (ms)",
  "Overhead (%)",
];

/**
 * "Engines side by side": for every model that ran with the same settings on more than one engine, its speeds,
 * TTFT, memory and load per engine, and for servers their own timings and the serving overhead (client time −
 * server time). Says so when the in-process engine stays far below llama-server's own speed. Nothing when no
 * model ran on two engines.
 */
export function enginesSection(analysis: ReportAnalysis): Block[] {
  const comparisons = engineComparisons(analysis.cases);
  if (comparisons.length === 0) return [];
  const blocks: Block[] = [
    { kind: "heading", level: 2, text: "Engines side by side" },
    {
      kind: "paragraph",
      text:
        "The same model and settings on each engine, every figure defined once for all engines: TTFT is the request until the first streamed chunk carrying a token; speeds are client-side. " +
        "For llama-server, its own timings (prompt and generation, without HTTP) stand beside them, and the serving overhead is the client's end-to-end time minus the server's prompt + generation time, per request (mean), also as a share of the end-to-end time. " +
        "Peak memory: the engine's own process (the worker, or the server), from /proc; — where it is not ours to measure.",
    },
  ];
  for (const [index, comparison] of comparisons.entries()) {
    blocks.push(
      { kind: "heading", level: 3, text: comparison.model },
      {
        kind: "table",
        id: `engines-${index + 1}`,
        columns: COLUMNS.map((label, i) => ({ label, numeric: i > 0 })),
        rows: comparison.rows.map(engineCells),
      },
    );
    const gap = gapText(comparison);
    if (gap) blocks.push({ kind: "paragraph", text: gap });
  }
  return blocks;
}

function engineCells(row: EngineRow): Cell[] {
  const o = row.overhead;
  return [
    textCell(row.engine),
    intervalCell(row.promptTokensPerSecond),
    intervalCell(row.generationTokensPerSecond),
    row.ttftMs ? numberCell(formatNumber(row.ttftMs.mean, 1), row.ttftMs.mean) : emptyCell,
    row.peakRssBytes === null ? emptyCell : numberCell(formatNumber(row.peakRssBytes / MIB, 1), row.peakRssBytes),
    row.loadMs === null ? emptyCell : numberCell(formatNumber(row.loadMs, 1), row.loadMs),
    o ? numberCell(formatNumber(o.serverPromptTokensPerSecond, 2), o.serverPromptTokensPerSecond) : emptyCell,
    o ? numberCell(formatNumber(o.serverGenerationTokensPerSecond, 2), o.serverGenerationTokensPerSecond) : emptyCell,
    o ? numberCell(formatNumber(o.overheadMs, 2), o.overheadMs) : emptyCell,
    o ? numberCell(formatPercent(o.overheadFraction), o.overheadFraction) : emptyCell,
  ];
}

function intervalCell(s: Summary | null): Cell {
  if (!s) return emptyCell;
  return numberCell(
    `${formatNumber(s.mean, 2)} (${formatNumber(s.ci95Low, 2)} – ${formatNumber(s.ci95High, 2)})`,
    s.mean,
  );
}

/** The in-process engine against llama-server's own generation speed, same llama.cpp source and settings. */
function gapText(comparison: EngineComparison): string | null {
  const share = comparison.inProcessShareOfNative;
  if (share === null) return null;
  const figure = `In-process generation runs at ${formatPercent(share)} of llama-server's own (server-timed) generation speed with the same llama.cpp source and settings.`;
  return share < FAR_BELOW_NATIVE
    ? `${figure} The in-process engine stays far below what llama.cpp does on this machine. \`gguf-bench engine build --binding\` builds node-llama-cpp's binding from this same source instead of its prebuilt binary (the environment records which build ran).`
    : figure;
}
