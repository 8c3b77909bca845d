import type { ReportAnalysis } from "../analysis/caseAnalysis.ts";
import {
  type EngineComparison,
  type EngineRow,
  engineComparisons,
  FAR_BELOW_NATIVE,
} from "../analysis/engineComparison.ts";
import { engineLimitReason, summaryNotMeasuredReason } from "../analysis/notMeasured.ts";
import type { EngineName, Summary } from "../results/types.ts";
import { busiestShare } from "../stats/busyStages.ts";
import { Footnotes } from "./footnotes.ts";
import { formatNumber, formatPercent, MIB } from "./formatValue.ts";
import { type Block, type Cell, numberCell, richParagraph, textCell } from "./reportDocument.ts";

const COLUMNS = [
  "Engine",
  "Prompt (tokens/s, 95% CI)",
  "Generation (tokens/s, 95% CI)",
  "TTFT (ms)",
  "Peak memory (MiB)",
  "Above own pre-load baseline (MiB)",
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
        "The same model and settings on each engine, every figure defined once for all engines. " +
        "Prompt and Generation: client-side tokens/s, the mean over the timed requests of each request's own rate (prompt tokens ÷ (first token − prompt sent); (tokens − 1) ÷ (last token − first token)), with its 95% CI; TTFT: the request until the first streamed chunk carrying a token, mean. " +
        "Server prompt and Server generation (llama-server, and an OpenAI-compatible server that reports llama.cpp's timings): the server's own clock, without HTTP, averaged the same way: the mean over the same requests of prompt tokens ÷ prompt ms and of (predicted tokens − 1) ÷ predicted ms, so each sits beside its client-side figure like for like. " +
        "Serving overhead: per request the client's end-to-end time minus the server's prompt + generation time, mean in ms, and the mean of its share of each request's end-to-end time. " +
        "Peak memory: the highest RSS of the engine's own process in the inference stage (the worker, or the server gguf-bench started), from /proc; the worker's includes Node.js and node-llama-cpp themselves, the server's only its own program. Above own pre-load baseline: that peak minus the same process's RSS before the model was loaded (the worker after GC; the server right after it started), the like-for-like figure. Load is timed differently per engine: the note under each table says how. Each — is marked with its reason, listed under the table.",
    },
  ];
  for (const [index, comparison] of comparisons.entries()) {
    const footnotes = new Footnotes();
    blocks.push(
      { kind: "heading", level: 3, text: comparison.model },
      {
        kind: "table",
        id: `engines-${index + 1}`,
        columns: COLUMNS.map((label, i) => ({ label, numeric: i > 0 })),
        rows: comparison.rows.map((row) => engineCells(row, footnotes)),
      },
    );
    if (footnotes.size > 0) blocks.push({ kind: "list", items: footnotes.items() });
    blocks.push({ kind: "paragraph", text: measuredHow(comparison) });
    const gap = gapText(comparison);
    if (gap) blocks.push(gap);
  }
  return blocks;
}

function engineCells(row: EngineRow, footnotes: Footnotes): Cell[] {
  const o = row.overhead;
  const m = row.model;
  const dash = (reason: string): Cell => textCell(footnotes.dash(reason));
  const noTimings =
    row.engine === "node-llama-cpp"
      ? "in-process there is no server: the client's clock is the engine's"
      : "the server reported no timings of its own (llama.cpp's timings) for the timed requests";
  const summaryCell = (s: Summary | null, key: "promptTokensPerSecond" | "generationTokensPerSecond") =>
    s ? intervalCell(s) : dash(summaryNotMeasuredReason(m, key));
  const rateCell = (rate: number | null, none: string): Cell =>
    o === null ? dash(noTimings) : rate === null ? dash(none) : numberCell(formatNumber(rate, 2), rate);
  return [
    textCell(row.engine),
    summaryCell(row.promptTokensPerSecond, "promptTokensPerSecond"),
    summaryCell(row.generationTokensPerSecond, "generationTokensPerSecond"),
    row.ttftMs
      ? numberCell(formatNumber(row.ttftMs.mean, 1), row.ttftMs.mean)
      : dash(summaryNotMeasuredReason(m, "ttftMs")),
    row.peakRssBytes === null
      ? dash(summaryNotMeasuredReason(m, "peakRssBytes"))
      : numberCell(formatNumber(row.peakRssBytes / MIB, 1), row.peakRssBytes),
    row.peakAboveBaselineBytes === null
      ? dash(
          row.peakRssBytes === null
            ? summaryNotMeasuredReason(m, "peakRssBytes")
            : "the process's memory was not read before the model was loaded",
        )
      : numberCell(formatNumber(row.peakAboveBaselineBytes / MIB, 1), row.peakAboveBaselineBytes),
    row.loadMs === null
      ? dash(engineLimitReason(row.engine, "load") ?? "the model did not load (see the case's status and errors)")
      : numberCell(formatNumber(row.loadMs, 1), row.loadMs),
    rateCell(o?.serverPromptTokensPerSecond ?? null, "no request had a server-timed prompt span"),
    rateCell(
      o?.serverGenerationTokensPerSecond ?? null,
      "no request generated two tokens in a server-timed span (a single token has no decode step)",
    ),
    o ? numberCell(formatNumber(o.overheadMs, 2), o.overheadMs) : dash(noTimings),
    o === null
      ? dash(noTimings)
      : o.overheadFraction === null
        ? dash("no request had an end-to-end time above 0 ms")
        : numberCell(formatPercent(o.overheadFraction), o.overheadFraction),
  ];
}

/** What Load and the memory baseline are for each engine of the table, with the baselines measured. */
const LOAD_MEASURED: Record<EngineName, string> = {
  "node-llama-cpp":
    "the model load call inside the worker, which was already running (Node.js and node-llama-cpp started before the clock)",
  "llama-server":
    'from spawning llama-server until it answered ready (/health 200 or "model loaded" in its log): its own program start plus the model load',
  openai: "not measured (the outside server loaded its model before the run)",
};

function measuredHow(comparison: EngineComparison): string {
  const engines = comparison.rows.map((row) => {
    const baseline =
      row.baselineRssBytes === null ? "" : `; baseline before load ${formatNumber(row.baselineRssBytes / MIB, 1)} MiB`;
    return `${row.engine}: ${LOAD_MEASURED[row.engine]}${baseline}`;
  });
  return `Load per engine — ${engines.join("; ")}. The Load figures therefore differ in what they include and are not a like-for-like comparison.`;
}

function intervalCell(s: Summary): Cell {
  return numberCell(
    `${formatNumber(s.mean, 2)} (${formatNumber(s.ci95Low, 2)} – ${formatNumber(s.ci95High, 2)})`,
    s.mean,
  );
}

/**
 * The in-process engine against llama-server's own generation speed, same llama.cpp source and settings: both
 * means of per-request rates.
 */
function gapText(comparison: EngineComparison): Block | null {
  const share = comparison.inProcessShareOfNative;
  if (share === null) return null;
  const busy = comparison.rows.flatMap((row) => {
    const busiest = busiestShare(row.model, "inference");
    return busiest === null ? [] : [`${formatPercent(busiest)} during ${row.engine}'s`];
  });
  if (busy.length > 0)
    return {
      kind: "paragraph",
      text: `In-process generation measured ${formatPercent(share)} of llama-server's own server-timed generation speed, but this is not a reliable comparison: the machine was busy (other processes' share of the cores: up to ${busy.join(" and ")} inference stage, see the busy-machine warning). No gap between the engines can be told from these figures; run again on an idle machine.`,
    };
  const figure = `In-process generation (client-side, mean of per-request rates) runs at ${formatPercent(share)} of llama-server's own server-timed generation speed (mean of per-request rates) with the same llama.cpp source and settings.`;
  if (share >= FAR_BELOW_NATIVE) return { kind: "paragraph", text: figure };
  return richParagraph([
    { text: `${figure} The in-process engine stays far below what llama.cpp does on this machine. ` },
    { code: "gguf-bench engine build --binding" },
    {
      text: " builds node-llama-cpp's binding from this same source instead of its prebuilt binary (the environment records which build ran).",
    },
  ]);
}
