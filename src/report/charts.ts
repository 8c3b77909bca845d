import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import type { CaseAnalysis, ReportAnalysis } from "../analysis/caseAnalysis.ts";
import { GIB } from "./formatValue.ts";
import type { ChartId } from "./reportDocument.ts";

const WIDTH = 560;
const HEIGHT = 280;
const INFERENCE_TITLE = "Total time per prompt (s): mean and 95% CI";
/** Models in report order, with full names (labelLimit 0: no truncation). */
const MODEL_AXIS = { field: "model", type: "nominal", title: null, sort: null, axis: { labelLimit: 0 } } as const;

/** Vega-Lite specs of the report's charts, from the analysis alone; null when a chart has no data. */
export function chartSpecs(analysis: ReportAnalysis): Record<ChartId, TopLevelSpec | null> {
  const cases = analysis.cases;
  const contextRows = cases.flatMap((c) =>
    c.model.contexts.flatMap((x) =>
      x.status === "ok"
        ? [
            {
              model: c.name,
              context: x.contextSize,
              peakGiB: x.peakRssBytes / GIB,
              generation: x.generationTokensPerSecond,
            },
          ]
        : [],
    ),
  );
  const loaded = cases.flatMap((c) =>
    c.model.load
      ? [
          { model: c.name, phase: "Load", ms: c.model.load.durationMs },
          { model: c.name, phase: "First decode", ms: c.model.load.firstDecodeMs },
        ]
      : [],
  );
  const inference = cases.flatMap((c: CaseAnalysis) => {
    const s = c.model.inference?.summaries.totalMs;
    return s ? [{ model: c.name, meanS: s.mean / 1000, lowS: s.ci95Low / 1000, highS: s.ci95High / 1000 }] : [];
  });
  const lineChart = (field: "peakGiB" | "generation", title: string): TopLevelSpec | null =>
    contextRows.length === 0
      ? null
      : {
          width: WIDTH,
          height: HEIGHT,
          data: { values: contextRows },
          mark: { type: "line", point: true },
          encoding: {
            x: {
              field: "context",
              type: "quantitative",
              scale: { type: "log", base: 2 },
              title: "Context size (tokens)",
            },
            y: { field, type: "quantitative", title },
            color: {
              field: "model",
              type: "nominal",
              title: "Model",
              legend: { orient: "bottom", columns: 1, labelLimit: 520 },
            },
          },
        };
  return {
    "memory-vs-context": lineChart("peakGiB", "Peak memory (GiB)"),
    "generation-vs-context": lineChart("generation", "Generation speed (tokens/s)"),
    "load-time":
      loaded.length === 0
        ? null
        : {
            width: WIDTH,
            data: { values: loaded },
            mark: "bar",
            encoding: {
              y: MODEL_AXIS,
              yOffset: { field: "phase", type: "nominal", sort: ["Load", "First decode"] },
              x: { field: "ms", type: "quantitative", title: "Time (ms)" },
              color: {
                field: "phase",
                type: "nominal",
                title: "Phase",
                sort: ["Load", "First decode"],
                legend: { orient: "bottom" },
              },
            },
          },
    "inference-time":
      inference.length === 0
        ? null
        : {
            width: WIDTH,
            data: { values: inference },
            encoding: { y: MODEL_AXIS },
            layer: [
              {
                mark: "bar",
                encoding: {
                  x: { field: "meanS", type: "quantitative", title: INFERENCE_TITLE },
                },
              },
              {
                mark: { type: "errorbar", ticks: true },
                encoding: {
                  x: { field: "lowS", type: "quantitative", title: INFERENCE_TITLE },
                  x2: { field: "highS" },
                },
              },
            ],
          },
  };
}

/** Renders each chart to a standalone SVG string in Node (no browser, no network). */
export async function renderCharts(analysis: ReportAnalysis): Promise<Record<ChartId, string | null>> {
  const specs = chartSpecs(analysis);
  const out = {} as Record<ChartId, string | null>;
  for (const id of Object.keys(specs) as ChartId[]) {
    const spec = specs[id];
    out[id] = spec ? await toSvg(spec) : null;
  }
  return out;
}

async function toSvg(spec: TopLevelSpec): Promise<string> {
  const compiled = compile({ ...spec, config: { font: "sans-serif" } } as TopLevelSpec).spec;
  // A loader that refuses every fetch: the data is inline, and a report must never reach the network.
  const loader = vega.loader();
  loader.load = async (uri: string) => {
    throw new Error(`charts load no external data (${uri})`);
  };
  const view = new vega.View(vega.parse(compiled), { renderer: "none", loader });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
