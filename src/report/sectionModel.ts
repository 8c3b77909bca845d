import type { CaseAnalysis, ReportAnalysis } from "../analysis/caseAnalysis.ts";
import {
  engineLimitReason,
  measuredSummary,
  partlyMeasuredNote,
  type RateMetric,
  rateMissingReason,
  summaryNotMeasuredReason,
} from "../analysis/notMeasured.ts";
import { slidingWindowCells, ubatchRun } from "../analysis/ubatchRun.ts";
import { mlaCacheRowText, tokenizerText } from "../gguf/modelInfoRows.ts";
import { caseStatus } from "../results/caseStatus.ts";
import type { ModelResult } from "../results/types.ts";
import { formatCount, formatDuration, formatMiB, formatNumber, formatPercent } from "./formatValue.ts";
import {
  CLEANUP_METRICS,
  CONTEXT_METRICS,
  columnLabel,
  displayValue,
  INFERENCE_METRIC_ORDER,
  INFERENCE_METRICS,
  LOAD_METRICS,
  SNAPSHOT_METRICS,
} from "./metrics.ts";
import { busyWarningText, otherCpuBlocks } from "./otherCpuBlocks.ts";
import {
  type Block,
  type Cell,
  type DetailsBlock,
  emptyCell,
  keyValueTable,
  numberCell,
  textCell,
} from "./reportDocument.ts";
import { statusText } from "./sectionSummary.ts";
import { stoppingText } from "./stoppingText.ts";

const orDash = (value: number | string | null, format: (v: number) => string = (v) => formatNumber(v)) =>
  value === null ? "—" : typeof value === "string" ? value : format(value);

/** Every model's details, folded in HTML: the reference material after the summary, charts and comparisons. */
export function detailsSection(analysis: ReportAnalysis): Block[] {
  return [
    { kind: "heading", level: 2, text: "Results per model" },
    {
      kind: "paragraph",
      text: "Each case in full: architecture, load, inference statistics, context windows, cleanup, observations and warnings (folded in the HTML report: open a model to read it).",
    },
    ...analysis.cases.map((c, i) => modelSection(c, i)),
  ];
}

/** One model × settings case: architecture, MoE, RoPE, load, inference, contexts, cleanup, observations. */
export function modelSection(c: CaseAnalysis, index: number): DetailsBlock {
  const m = c.model;
  const i = m.info;
  const id = `case-${index}`;
  const busy = busyWarningText(m);
  const blocks: Block[] = [
    {
      kind: "paragraph",
      text: `File ${m.file}; case ${m.caseId}; status ${caseStatus(m)}; process ${m.process.outcome}${m.process.signal ? ` (${m.process.signal})` : ""}, ${formatDuration(m.process.wallMs)} wall time.${m.synthetic ? " Synthetic model: random weights with a real shape." : ""}`,
    },
    ...(busy ? [{ kind: "paragraph" as const, text: `Warning, ${busy}` }] : []),
    ...(c.otherCpuUnmeasured ? [{ kind: "paragraph" as const, text: `Note: ${c.otherCpuUnmeasured}.` }] : []),
    { kind: "heading", level: 4, text: "Architecture" },
    keyValueTable(`${id}-architecture`, [
      ["Architecture", i.architecture],
      ["general.name", i.name ?? "—"],
      ["Size label", i.sizeLabel ?? "—"],
      ["Parameters", `${formatCount(i.parameterCount)} (${formatNumber(i.parameterCount)})`],
      ["Embedding length", orDash(i.embeddingLength)],
      ["Layers", orDash(i.blockCount)],
      ["Attention heads", orDash(i.headCount)],
      ["KV heads", orDash(i.headCountKv)],
      i.kvCache?.status === "known" && i.kvCache.mla
        ? ["MLA cache row", mlaCacheRowText(i)]
        : ["Head dimension (K / V)", `${orDash(i.headDim)} / ${orDash(i.valueDim)}`],
      ["Feed-forward length", orDash(i.feedForwardLength)],
      ["Vocabulary", `${orDash(i.vocabSize)}${tokenizerText(i.tokenizer)}`],
      ["Sliding window", orDash(i.slidingWindow)],
      ["Quantization", i.quantization],
      ["File size", `${formatMiB(i.fileBytes)} (${formatNumber(i.fileBytes)} bytes)`],
      [
        "KV cache per token",
        i.kvCache?.status === "unknown"
          ? `unknown: ${i.kvCache.reason}`
          : i.kvBytesPerToken
            ? `${formatNumber(i.kvBytesPerToken.f16)} bytes f16, ${formatNumber(i.kvBytesPerToken.q8_0)} bytes q8_0` +
              kvLayoutNote(m)
            : "—",
      ],
    ]),
    { kind: "heading", level: 4, text: "Mixture of experts" },
    i.moe
      ? keyValueTable(`${id}-moe`, [
          ["Experts", String(i.moe.expertCount)],
          ["Experts used per token", String(i.moe.expertUsedCount)],
          ["Expert utilization (used / total)", formatPercent(i.moe.fractionActive)],
          [
            "Active parameters per token",
            `${formatCount(i.moe.activeParameterCount)} (${formatPercent(i.moe.activeParameterCount / i.parameterCount)} of all)`,
          ],
        ])
      : { kind: "paragraph", text: "Not a mixture-of-experts model (no expert count in the metadata)." },
    { kind: "heading", level: 4, text: "RoPE" },
    keyValueTable(`${id}-rope`, [
      ["n_rot (dimension count)", orDash(i.rope.dimensionCount)],
      ["Frequency base", orDash(i.rope.freqBase)],
      ["Scaling type", i.rope.scalingType ?? "none"],
      ["Scaling factor", orDash(i.rope.scalingFactor, (v) => formatNumber(v, 2))],
      ["Original context", orDash(i.rope.originalContextLength)],
    ]),
    ...loadBlocks(m, id),
    ...inferenceBlocks(m, id),
    ...contextBlocks(m, id),
    ...cleanupBlocks(m, id),
    ...otherCpuBlocks(m, id),
    { kind: "heading", level: 4, text: "Training context" },
    {
      kind: "paragraph",
      text: c.trainingContext
        ? `Trained for ${formatNumber(c.trainingContext.tokens)} tokens ≈ ${formatNumber(c.trainingContext.words)} words ≈ ${formatNumber(c.trainingContext.pages)} pages; tested ${testedRange(m)}.`
        : "Training context not stated in the metadata.",
    },
    { kind: "heading", level: 4, text: "Key observations" },
    { kind: "list", items: c.observations },
  ];
  const warnings = [
    ...(busy ? [busy] : []),
    ...(m.inference?.warnings ?? []).map((w) => `${w.code}: ${w.message} — ${w.hint}`),
    ...m.errors.map((e) => `${e.stage} ${e.code}: ${e.message}${e.hint ? ` — hint: ${e.hint}` : ""}`),
  ];
  if (warnings.length > 0)
    blocks.push({ kind: "heading", level: 4, text: "Warnings" }, { kind: "list", items: warnings });
  return { kind: "details", id, heading: { level: 3, text: c.name }, summary: foldedSummary(c), blocks };
}

/** Status and the headline figures, shown beside a folded model's name. */
function foldedSummary(c: CaseAnalysis): string {
  const s = c.model.inference?.summaries;
  const generation = measuredSummary(s?.generationTokensPerSecond);
  const prompt = measuredSummary(s?.promptTokensPerSecond);
  const figures =
    generation && prompt
      ? `; generation ${formatNumber(generation.mean, 2)} tokens/s, prompt ${formatNumber(prompt.mean, 2)} tokens/s`
      : "";
  return `${statusText(c)}${figures}`;
}

function testedRange(m: ModelResult): string {
  const ok = m.contexts.filter((x) => x.status === "ok").map((x) => x.contextSize);
  return ok.length
    ? `${formatNumber(Math.min(...ok))}–${formatNumber(Math.max(...ok))} tokens`
    : "no context size successfully";
}

function loadBlocks(m: ModelResult, id: string): Block[] {
  const load = m.load;
  if (!load) {
    const limit = engineLimitReason(m.settings.engine, "load");
    return [
      { kind: "heading", level: 4, text: "Load" },
      { kind: "paragraph", text: limit ? `Not measured: ${limit}.` : "The model did not load." },
    ];
  }
  return [
    { kind: "heading", level: 4, text: "Load" },
    {
      kind: "table",
      id: `${id}-load`,
      columns: [
        ...LOAD_METRICS.map((metric) => ({ label: columnLabel(metric), numeric: true })),
        { label: "mmap", numeric: false },
        { label: "Page cache", numeric: false },
      ],
      rows: [
        [
          ...LOAD_METRICS.map((metric) =>
            numberCell(displayValue(metric.displayUnit, metric.get(load)), metric.get(load)),
          ),
          textCell(load.mmap ? "on" : "off"),
          textCell(load.cache),
        ],
      ],
    },
    {
      kind: "table",
      id: `${id}-load-memory`,
      columns: [
        { label: "Child process memory", numeric: false },
        ...SNAPSHOT_METRICS.map((metric) => ({ label: columnLabel(metric), numeric: true })),
      ],
      rows: [["Before load", load.before] as const, ["After load", load.after] as const].map(
        ([label, snap]): Cell[] => [
          textCell(label),
          ...SNAPSHOT_METRICS.map((metric) =>
            numberCell(displayValue(metric.displayUnit, metric.get(snap)), metric.get(snap)),
          ),
        ],
      ),
    },
  ];
}

function inferenceBlocks(m: ModelResult, id: string): Block[] {
  const inf = m.inference;
  if (!inf)
    return [
      { kind: "heading", level: 4, text: "Inference statistics" },
      { kind: "paragraph", text: "No inference results." },
    ];
  const timed = inf.samples.filter((s) => !s.warmup).length;
  const notes = INFERENCE_METRIC_ORDER.flatMap((key) => {
    const label = INFERENCE_METRICS[key].label;
    if (measuredSummary(inf.summaries[key]) === null)
      return [`${label}: not measured: ${summaryNotMeasuredReason(m, key)}.`];
    const partly = partlyMeasuredNote(m, key);
    return partly === null ? [] : [`${label}: ${partly}.`];
  });
  return [
    { kind: "heading", level: 4, text: "Inference statistics" },
    {
      kind: "paragraph",
      text: [
        `Context ${formatNumber(inf.contextSize)} tokens; ${timed} timed sample(s), ${inf.samples.length - timed} warm-up sample(s) excluded.`,
        // Older results files and crashed runs do not say.
        stoppingText(inf.stopping ?? null),
      ]
        .filter((part) => part !== null)
        .join(" "),
    },
    {
      kind: "table",
      id: `${id}-inference`,
      columns: ["Metric", "n", "Mean", "SD", "Min", "Max", "Median", "95% CI", "CV"].map((label, k) => ({
        label,
        numeric: k > 0,
      })),
      rows: INFERENCE_METRIC_ORDER.map((key): Cell[] => {
        const metric = INFERENCE_METRICS[key];
        const s = inf.summaries[key];
        // n = 0: nothing measured (an outside server's memory); its zeros are no figures. The reason is under the table.
        if (measuredSummary(s) === null)
          return [
            textCell(columnLabel(metric)),
            numberCell("0", 0),
            textCell("not measured"),
            ...Array(6).fill(emptyCell),
          ];
        // Token counts are integers; their mean and spread are not.
        const extra = metric.displayUnit === "tokens" ? 1 : 0;
        const v = (x: number) => numberCell(displayValue(metric.displayUnit, x, extra), x);
        return [
          textCell(columnLabel(metric)),
          numberCell(String(s.n), s.n),
          v(s.mean),
          v(s.sd),
          v(s.min),
          v(s.max),
          v(s.median),
          numberCell(
            `${displayValue(metric.displayUnit, s.ci95Low, extra)} – ${displayValue(metric.displayUnit, s.ci95High, extra)}`,
            s.ci95Low,
          ),
          numberCell(formatPercent(s.cv), s.cv),
        ];
      }),
    },
    ...(notes.length > 0 ? [{ kind: "list" as const, items: notes }] : []),
  ];
}

const RATE_LABELS: [RateMetric, string][] = [
  ["promptTokensPerSecond", "prompt speed"],
  ["generationTokensPerSecond", "generation speed"],
];

function contextBlocks(m: ModelResult, id: string): Block[] {
  if (m.contexts.length === 0) {
    return [
      { kind: "heading", level: 4, text: "Context windows" },
      { kind: "paragraph", text: "No context sizes ran." },
    ];
  }
  return [
    { kind: "heading", level: 4, text: "Context windows" },
    {
      kind: "table",
      id: `${id}-contexts`,
      columns: [
        { label: "Context (tokens)", numeric: true },
        { label: "Status", numeric: false },
        ...CONTEXT_METRICS.map((metric) => ({ label: columnLabel(metric), numeric: true })),
        { label: "Note", numeric: false },
      ],
      rows: m.contexts.map((x): Cell[] => {
        const size = numberCell(formatNumber(x.contextSize), x.contextSize);
        if (x.status === "ok") {
          const limit = engineLimitReason(m.settings.engine, "memory");
          const memoryMissing = x.peakRssBytes === null || x.afterCreateRssBytes === null;
          const notes = [
            ...RATE_LABELS.flatMap(([key, label]) => {
              const reason = rateMissingReason(x, key);
              return reason === null ? [] : [`${label} not measured: ${reason}`];
            }),
            ...(memoryMissing ? [`memory not measured${limit ? `: ${limit}` : ""}`] : []),
          ];
          return [
            size,
            textCell("ok"),
            ...CONTEXT_METRICS.map((metric) =>
              numberCell(displayValue(metric.displayUnit, metric.get(x)), metric.get(x)),
            ),
            textCell(notes.join("; ")),
          ];
        }
        const note = x.status === "error" ? `${x.code}: ${x.message}` : x.reason;
        return [size, textCell(x.status), ...CONTEXT_METRICS.map(() => emptyCell), textCell(note)];
      }),
    },
  ];
}

function cleanupBlocks(m: ModelResult, id: string): Block[] {
  const cleanup = m.cleanup;
  if (!cleanup) {
    const limit = engineLimitReason(m.settings.engine, "cleanup");
    return [
      { kind: "heading", level: 4, text: "Cleanup" },
      {
        kind: "paragraph",
        text: limit
          ? `No cleanup measured: ${limit}.`
          : "No cleanup measured: the process ended before it (see the case's status and errors).",
      },
    ];
  }
  return [
    { kind: "heading", level: 4, text: "Cleanup" },
    {
      kind: "table",
      id: `${id}-cleanup`,
      columns: [
        { label: "Child process memory", numeric: false },
        ...SNAPSHOT_METRICS.map((metric) => ({ label: columnLabel(metric), numeric: true })),
      ],
      rows: [["Before dispose", cleanup.before] as const, ["After dispose", cleanup.after] as const].map(
        ([label, snap]): Cell[] => [
          textCell(label),
          ...SNAPSHOT_METRICS.map((metric) =>
            numberCell(displayValue(metric.displayUnit, metric.get(snap)), metric.get(snap)),
          ),
        ],
      ),
    },
    {
      kind: "paragraph",
      text: CLEANUP_METRICS.map(
        (metric) => `${columnLabel(metric)}: ${displayValue(metric.displayUnit, metric.get(cleanup))}`,
      ).join("; "),
    },
  ];
}

/**
 * Sliding-window, MLA and recurrent layers change what "per token" means: say so beside the figure, with the cells
 * the sliding-window cache really holds (window + the micro-batch the engine ran, padded to 256).
 */
function kvLayoutNote(m: ModelResult): string {
  const layout = m.info.kvCache;
  if (layout?.status !== "known") return "";
  const notes: string[] = [];
  const swa = layout.slidingWindow;
  if (swa) {
    const layers = `${swa.layers} sliding-window ${swa.layers === 1 ? "layer holds" : "layers hold"}`;
    const ubatch = ubatchRun(m.info, m.settings);
    const cells = ubatch === null ? null : slidingWindowCells(m.info, ubatch);
    notes.push(
      `full-attention layers only; ${layers} ` +
        (ubatch === null || cells === null
          ? `window ${formatNumber(swa.windowTokens)} + micro-batch cells, padded to 256, whatever the context`
          : `${formatNumber(cells)} cells (window ${formatNumber(swa.windowTokens)} + micro-batch ${formatNumber(ubatch)}, padded to 256) at any larger context`),
    );
  }
  if (layout.mla) notes.push("MLA: compressed K only");
  if (layout.recurrent) notes.push(`plus ${formatNumber(layout.recurrent.stateBytes)} bytes of recurrent state`);
  return notes.length > 0 ? ` (${notes.join("; ")})` : "";
}
