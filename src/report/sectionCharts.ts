import type { CaseAnalysis, ReportAnalysis } from "../analysis/caseAnalysis.ts";
import { measuredSummary } from "../analysis/notMeasured.ts";
import type { ContextResult, InferenceMetric } from "../results/types.ts";
import { barChartWithRule, intervalBarChart, lineChart } from "./charts.ts";
import { formatNumber, formatPercent, GIB } from "./formatValue.ts";
import { type Block, type Cell, type ChartBlock, numberCell, type TableBlock, textCell } from "./reportDocument.ts";

type OkContext = Extract<ContextResult, { status: "ok" }>;

/**
 * The charts a reader wants first: generation and prompt speed per model (mean, 95% CI), speed and peak memory
 * against the context size, and how close generation runs to the memory-bandwidth bound. Markdown shows the
 * per-context charts as tables (the speeds per model are in the summary table).
 */
export function chartsSection(analysis: ReportAnalysis): Block[] {
  const cases = analysis.cases;
  const heading: Block = { kind: "heading", level: 2, text: "At a glance" };
  if (!cases.some((c) => c.model.inference || c.model.contexts.some((x) => x.status === "ok")))
    return [heading, { kind: "paragraph", text: "Nothing to chart: no case measured inference or a context size." }];
  return [
    heading,
    speedChart(cases, "generation-speed", "generationTokensPerSecond", "Generation"),
    speedChart(cases, "prompt-speed", "promptTokensPerSecond", "Prompt processing"),
    contextChart(cases, "generation-vs-context", "Generation tokens/s vs context size", "Generation speed (tokens/s)", {
      value: (x) => x.generationTokensPerSecond,
      text: (v) => formatNumber(v, 2),
    }),
    contextChart(cases, "prompt-vs-context", "Prompt tokens/s vs context size", "Prompt speed (tokens/s)", {
      value: (x) => x.promptTokensPerSecond,
      text: (v) => formatNumber(v, 2),
    }),
    contextChart(cases, "memory-vs-context", "Peak memory vs context size (GiB)", "Peak memory (GiB)", {
      value: (x) => (x.peakRssBytes === null ? null : x.peakRssBytes / GIB),
      text: (v) => formatNumber(v, 3),
    }),
    ...rooflineChart(cases),
  ];
}

function speedChart(cases: CaseAnalysis[], id: string, key: InferenceMetric, what: string): ChartBlock {
  const rows = cases.flatMap((c) => {
    // n = 0: not measured (its zeros are no figures); the summary table says why beside its "—".
    const s = measuredSummary(c.model.inference?.summaries[key]);
    return s ? [{ model: c.name, mean: s.mean, low: s.ci95Low, high: s.ci95High }] : [];
  });
  return {
    kind: "chart",
    id,
    title: `${what} speed per model (tokens/s, mean with 95% CI)`,
    spec: intervalBarChart(rows, `${what} speed (tokens/s)`),
  };
}

/** A line per model over the context sizes, with the same numbers as a model × context table. */
function contextChart(
  cases: CaseAnalysis[],
  id: string,
  title: string,
  axisTitle: string,
  /** null: not measured on this engine (a remote endpoint's memory). */
  metric: { value: (x: OkContext) => number | null; text: (v: number) => string },
): ChartBlock {
  const withContexts = cases.filter((c) => c.model.contexts.length > 0);
  const rows = withContexts.flatMap((c) =>
    c.model.contexts.flatMap((x) =>
      x.status === "ok" && metric.value(x) !== null
        ? [{ series: c.name, x: x.contextSize, value: metric.value(x) as number }]
        : [],
    ),
  );
  const sizes = [...new Set(withContexts.flatMap((c) => c.model.contexts.map((x) => x.contextSize)))].sort(
    (a, b) => a - b,
  );
  const data: TableBlock = {
    kind: "table",
    id: `${id}-data`,
    columns: [
      { label: "Model", numeric: false },
      ...sizes.map((n) => ({ label: `${formatNumber(n)} tokens`, numeric: true })),
    ],
    rows: withContexts.map((c): Cell[] => [
      textCell(c.name),
      ...sizes.map((n): Cell => {
        const x = c.model.contexts.find((y) => y.contextSize === n);
        if (!x) return textCell("not run");
        if (x.status !== "ok") return textCell(x.status);
        const value = metric.value(x);
        return value === null ? textCell("not measured") : numberCell(metric.text(value), value);
      }),
    ]),
  };
  return {
    kind: "chart",
    id,
    title,
    spec: lineChart(rows, { title: "Context size (tokens)", log2: true }, axisTitle),
    data,
  };
}

/** Measured generation speed as a share of the memory-bandwidth bound, at the inference stage. */
function rooflineChart(cases: CaseAnalysis[]): Block[] {
  const points = cases.flatMap((c) => {
    const p = c.roofline.find((x) => x.contextSize === null);
    return p ? [{ c, p }] : [];
  });
  if (points.length === 0)
    return [
      {
        kind: "paragraph",
        text: "Roofline fraction: not charted, the memory bandwidth was not measured (or no case generated tokens).",
      },
    ];
  return [
    {
      kind: "chart",
      id: "roofline-fraction",
      title: "Generation speed as a share of the memory-bandwidth bound (%, inference stage)",
      spec: barChartWithRule(
        points.map(({ c, p }) => ({ model: c.name, value: p.fraction * 100 })),
        "Share of the bound (%)",
        100,
      ),
      data: {
        kind: "table",
        id: "roofline-fraction-data",
        columns: [
          { label: "Model", numeric: false },
          { label: "Share of the bound", numeric: true },
          { label: "Measured (tokens/s)", numeric: true },
          { label: "Bound (tokens/s)", numeric: true },
        ],
        rows: points.map(({ c, p }): Cell[] => [
          textCell(c.name),
          numberCell(formatPercent(p.fraction), p.fraction),
          numberCell(formatNumber(p.measuredTokensPerSecond, 2), p.measuredTokensPerSecond),
          numberCell(formatNumber(p.boundTokensPerSecond, 2), p.boundTokensPerSecond),
        ]),
      },
    },
  ];
}
