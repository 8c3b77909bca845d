import type { CaseAnalysis, ReportAnalysis } from "../analysis/caseAnalysis.ts";
import { negativeSlopeWarning } from "../analysis/memoryFit.ts";
import { engineLimitReason, rateMissingReason, summaryNotMeasuredReason } from "../analysis/notMeasured.ts";
import type { ContextResult, ModelResult } from "../results/types.ts";
import { groupedBarChart, intervalBarChart } from "./charts.ts";
import { Footnotes } from "./footnotes.ts";
import { formatGiB, formatGiBPerK, formatNumber, formatSignedPercent, GIB, TOKENS_PER_K } from "./formatValue.ts";
import { CONTEXT_METRICS, columnLabel, displayValue, measured } from "./metrics.ts";
import { type Block, type Cell, emptyCell, numberCell, textCell } from "./reportDocument.ts";

const gibCell = (bytes: number) => numberCell(formatNumber(bytes / GIB, 3), bytes);
const perKCell = (bytesPerToken: number) =>
  numberCell(formatNumber((bytesPerToken * TOKENS_PER_K) / GIB, 4), bytesPerToken);
/** The memory scaling table shows these context columns (ids from the shared metric table). */
const SCALING_COLUMNS = ["peak_rss_bytes", "total_ms", "output_tokens", "generation_tokens_per_second"];

/** Comparative analysis, memory vs context trade-offs and implementation considerations. */
export function comparisonSection(analysis: ReportAnalysis): Block[] {
  const cases = analysis.cases;
  const efficiency = new Footnotes();
  const capacities = new Footnotes();
  const blocks: Block[] = [
    { kind: "heading", level: 2, text: "Comparative analysis" },
    { kind: "heading", level: 3, text: "Memory efficiency" },
    {
      kind: "table",
      id: "memory-efficiency",
      columns: [
        { label: "Model", numeric: false },
        { label: "File size (GiB)", numeric: true },
        { label: "RSS after load (GiB)", numeric: true },
        { label: "Inference peak, mean (GiB)", numeric: true },
        { label: "Peak / file size", numeric: true },
        { label: "Fitted base (GiB)", numeric: true },
        { label: "Fitted slope (GiB/1K tokens)", numeric: true },
      ],
      rows: cases.map((c): Cell[] => {
        const peak = measured(c.model.inference?.summaries.peakRssBytes)?.mean ?? null;
        const noPeak = () => textCell(efficiency.dash(summaryNotMeasuredReason(c.model, "peakRssBytes")));
        const noFit = () => textCell(efficiency.dash(`no fit: ${c.fit.kind === "none" ? c.fit.reason : ""}`));
        return [
          textCell(c.name),
          gibCell(c.model.info.fileBytes),
          c.model.load
            ? gibCell(c.model.load.after.vmRssBytes)
            : textCell(
                efficiency.dash(
                  engineLimitReason(c.model.settings.engine, "load") ??
                    "the model did not load (see the case's status and errors)",
                ),
              ),
          peak === null ? noPeak() : gibCell(peak),
          peak === null
            ? noPeak()
            : numberCell(`×${formatNumber(peak / c.model.info.fileBytes, 2)}`, peak / c.model.info.fileBytes),
          c.fit.kind === "fit" ? gibCell(c.fit.baseBytes) : noFit(),
          c.fit.kind === "fit" ? slopeCell(c, efficiency) : noFit(),
        ];
      }),
    },
    ...efficiency.listBlocks(),
    loadTimeChart(cases),
    inferenceTimeChart(cases),
    { kind: "heading", level: 3, text: "Training context capacities" },
    {
      kind: "table",
      id: "training-contexts",
      columns: [
        { label: "Model", numeric: false },
        { label: "Max context (tokens)", numeric: true },
        { label: "≈ Words", numeric: true },
        { label: "≈ Pages", numeric: true },
        { label: "Largest context run OK (tokens)", numeric: true },
      ],
      rows: cases.map((c): Cell[] => {
        const t = c.trainingContext;
        const ok = c.model.contexts.flatMap((x) => (x.status === "ok" ? [x.contextSize] : []));
        const noTraining = () => textCell(capacities.dash("the metadata states no training context"));
        return [
          textCell(c.name),
          t ? numberCell(formatNumber(t.tokens), t.tokens) : noTraining(),
          t ? numberCell(formatNumber(t.words), t.words) : noTraining(),
          t ? numberCell(formatNumber(t.pages), t.pages) : noTraining(),
          ok.length
            ? numberCell(formatNumber(Math.max(...ok)), Math.max(...ok))
            : textCell(
                capacities.dash(
                  c.model.contexts.length === 0
                    ? "no context size was run (see the case's status)"
                    : "no context size ran OK (see the model's context windows)",
                ),
              ),
        ];
      }),
    },
    ...capacities.listBlocks(),
    { kind: "heading", level: 3, text: "Context window performance" },
    {
      kind: "paragraph",
      text: "Memory scaling per model over the context sizes that ran OK (folded in the HTML report; the charts under At a glance draw the same numbers).",
    },
  ];
  const columns = CONTEXT_METRICS.filter((metric) => SCALING_COLUMNS.includes(metric.id));
  for (const [k, c] of cases.entries()) {
    const ok = c.model.contexts.flatMap((x) => (x.status === "ok" ? [x] : []));
    if (ok.length === 0) continue;
    const sizes = ok.map((x) => x.contextSize);
    const notes = new Footnotes();
    blocks.push({
      kind: "details",
      id: `scaling-${k}-details`,
      heading: { level: 4, text: `Memory scaling: ${c.name}` },
      summary: `${ok.length} context size(s), ${formatNumber(Math.min(...sizes))}–${formatNumber(Math.max(...sizes))} tokens`,
      blocks: [
        {
          kind: "table",
          id: `scaling-${k}`,
          columns: [
            { label: "Context (tokens)", numeric: true },
            ...columns.map((metric) => ({ label: columnLabel(metric), numeric: true })),
          ],
          rows: ok.map((x): Cell[] => [
            numberCell(formatNumber(x.contextSize), x.contextSize),
            ...columns.map((metric) => {
              const value = metric.get(x);
              return value === null
                ? textCell(notes.dash(contextValueMissingReason(c.model, x, metric.id)))
                : numberCell(displayValue(metric.displayUnit, value), value);
            }),
          ]),
        },
        ...notes.listBlocks(),
      ],
    });
  }
  blocks.push(...tradeOffs(cases), ...implementation(cases));
  return blocks;
}

type OkContext = Extract<ContextResult, { status: "ok" }>;

/**
 * Why an OK context size's figure `metricId` (a CONTEXT_METRICS id) is null: a speed's empty span, else memory an
 * outside server's process does not let us read.
 */
function contextValueMissingReason(model: ModelResult, x: OkContext, metricId: string): string {
  if (metricId === "prompt_tokens_per_second")
    return rateMissingReason(x, "promptTokensPerSecond") ?? "the engine reported no span to time";
  if (metricId === "generation_tokens_per_second")
    return rateMissingReason(x, "generationTokensPerSecond") ?? "the engine reported no span to time";
  return engineLimitReason(model.settings.engine, "memory") ?? "memory was not read at this context size";
}

/** "⚠ warning: …" beside a negative fitted slope (see negativeSlopeWarning); "" for any other fit. */
const negativeNote = (c: CaseAnalysis): string => {
  const warning = negativeSlopeWarning(c.fit);
  return warning === null ? "" : `⚠ warning: ${warning}`;
};

/** The fitted slope, with a ⚠ mark whose warning is listed under the table when it is negative. */
function slopeCell(c: CaseAnalysis, notes: Footnotes): Cell {
  if (c.fit.kind !== "fit") return emptyCell;
  const cell = perKCell(c.fit.slopeBytesPerToken);
  const warning = negativeSlopeWarning(c.fit);
  return warning === null ? cell : { ...cell, text: `${cell.text} ${notes.warn(`${c.name}: ${warning}`)}` };
}

function loadTimeChart(cases: CaseAnalysis[]): Block {
  const phases = ["Load", "First decode"];
  const rows = cases.flatMap((c) =>
    c.model.load
      ? [
          { model: c.name, group: "Load", value: c.model.load.durationMs },
          { model: c.name, group: "First decode", value: c.model.load.firstDecodeMs },
        ]
      : [],
  );
  return {
    kind: "chart",
    id: "load-time",
    title: "Load time per model",
    spec: groupedBarChart(rows, phases, "Time (ms)"),
  };
}

function inferenceTimeChart(cases: CaseAnalysis[]): Block {
  const rows = cases.flatMap((c) => {
    const s = c.model.inference?.summaries.totalMs;
    return s ? [{ model: c.name, mean: s.mean / 1000, low: s.ci95Low / 1000, high: s.ci95High / 1000 }] : [];
  });
  return {
    kind: "chart",
    id: "inference-time",
    title: "Inference total time per model (mean with 95% CI)",
    spec: intervalBarChart(rows, "Total time per prompt (s): mean and 95% CI"),
  };
}

function tradeOffs(cases: CaseAnalysis[]): Block[] {
  return [
    { kind: "heading", level: 2, text: "Memory vs context trade-offs" },
    {
      kind: "paragraph",
      text: "Least-squares fit of peak RSS over the context sizes that ran OK: memory = base + slope × context tokens, beside the KV-cache growth predicted from the metadata over the same contexts for the KV cache type used, layer by layer as llama.cpp allocates it (KV heads × (K + V head size) × bytes per element; sliding-window layers stop growing at their window, MLA keeps only K). The difference is the compute buffers and allocator overhead that grow with the context. Time per doubling is the geometric mean of the total-time ratios of successive sizes, each normalised to one doubling.",
    },
    {
      kind: "table",
      id: "memory-fit",
      columns: [
        { label: "Model", numeric: false },
        { label: "Points", numeric: true },
        { label: "Base (GiB)", numeric: true },
        { label: "Slope (GiB/1K tokens)", numeric: true },
        { label: "R²", numeric: true },
        { label: "KV predicted (GiB/1K tokens)", numeric: true },
        { label: "Fit vs KV", numeric: true },
        { label: "Time × per doubling", numeric: true },
        { label: "Note", numeric: false },
      ],
      rows: cases.map((c): Cell[] => {
        const f = c.fit;
        const kv =
          f.predictedKvBytesPerToken !== null
            ? perKCell(f.predictedKvBytesPerToken)
            : f.predictedKvUnknownReason !== null
              ? textCell("unknown")
              : emptyCell;
        const kvNote = f.predictedKvUnknownReason === null ? "" : `KV unknown: ${f.predictedKvUnknownReason}`;
        const time = c.timeScaling
          ? numberCell(`×${formatNumber(c.timeScaling.factorPerDoubling, 2)}`, c.timeScaling.factorPerDoubling)
          : emptyCell;
        if (f.kind === "none") {
          return [
            textCell(c.name),
            numberCell(String(f.n), f.n),
            emptyCell,
            emptyCell,
            emptyCell,
            kv,
            emptyCell,
            time,
            textCell([`no fit: ${f.reason}`, kvNote].filter(Boolean).join("; ")),
          ];
        }
        return [
          textCell(c.name),
          numberCell(String(f.n), f.n),
          gibCell(f.baseBytes),
          perKCell(f.slopeBytesPerToken),
          numberCell(formatNumber(f.r2, 4), f.r2),
          kv,
          f.differencePercent === null
            ? emptyCell
            : numberCell(formatSignedPercent(f.differencePercent), f.differencePercent),
          time,
          textCell(
            [f.n === 2 ? "2 points: R² is 1 by construction" : "", kvNote, negativeNote(c)].filter(Boolean).join("; "),
          ),
        ];
      }),
    },
  ];
}

function implementation(cases: CaseAnalysis[]): Block[] {
  return [
    { kind: "heading", level: 2, text: "Implementation considerations" },
    { kind: "heading", level: 3, text: "Memory buffer sizes" },
    {
      kind: "list",
      items: cases.map((c) =>
        c.fit.kind === "fit"
          ? `${c.name}: ${formatGiB(c.fit.baseBytes)} + ${formatGiBPerK(c.fit.slopeBytesPerToken)} tokens (from ${c.fit.n} measured context sizes, ${c.model.settings.kvCacheType} KV cache, flash attention ${c.model.settings.flashAttention ? "on" : "off"})${negativeNote(c) ? ` ${negativeNote(c)}` : ""}`
          : `${c.name}: no fit (${c.fit.reason})`,
      ),
    },
    { kind: "heading", level: 3, text: "Settings used" },
    ...settingsUsed(cases),
  ];
}

/**
 * The settings each case ran with. An outside server (openai) applies none of them: its cases are named in one
 * sentence instead of a row repeating "the endpoint's own" in every column.
 */
function settingsUsed(cases: CaseAnalysis[]): Block[] {
  const outside = cases.filter((c) => engineLimitReason(c.model.settings.engine, "settings") !== null);
  const applied = cases.filter((c) => !outside.includes(c));
  const blocks: Block[] = [];
  if (outside.length > 0)
    blocks.push({
      kind: "paragraph",
      text: `${outside.map((c) => c.name).join(", ")}: not in the table, the endpoint's own settings apply to threads, batch, micro-batch, flash attention, KV cache, mmap, GPU layers and page cache (as that server was started; what was asked is in results.json).`,
    });
  if (applied.length > 0)
    blocks.push({
      kind: "table",
      id: "settings-used",
      columns: [
        "Model",
        "Threads",
        "Batch",
        "Micro-batch",
        "Flash attention",
        "KV cache",
        "mmap",
        "GPU layers",
        "Page cache",
      ].map((label, k) => ({ label, numeric: k > 0 && k < 4 })),
      rows: applied.map((c): Cell[] => {
        const s = c.model.settings;
        return [
          textCell(c.name),
          numberCell(String(s.threads), s.threads),
          numberCell(String(s.batchSize), s.batchSize),
          numberCell(String(s.ubatchSize), s.ubatchSize),
          textCell(s.flashAttention ? "on" : "off"),
          textCell(s.kvCacheType),
          textCell(s.mmap ? "on" : "off"),
          textCell(String(s.gpuLayers)),
          textCell(s.cache),
        ];
      }),
    });
  return blocks;
}
