import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

/**
 * Vega-Lite spec builders for the report's charts (data inline, nothing fetched) and the SVG renderer the
 * HTML report uses. A section builds its chart from the analysis with one of these and puts the spec in a
 * chart block; null means "nothing to draw".
 */
const WIDTH = 560;
const HEIGHT = 280;
/** Models in report order, with full names (labelLimit 0: no truncation). */
const MODEL_AXIS = { field: "model", type: "nominal", title: null, sort: null, axis: { labelLimit: 0 } } as const;
const LEGEND = { orient: "bottom", columns: 1, labelLimit: 520 } as const;

/**
 * Beyond this ratio between the largest and the smallest value, a linear axis flattens the small ones to
 * nothing (a 260K-parameter demo model beside a 7B one): the axis turns logarithmic and says so.
 */
const LOG_SCALE_RATIO = 20;
function wantsLogScale(values: number[]): boolean {
  if (values.length === 0 || values.some((v) => !(v > 0))) return false;
  return Math.max(...values) / Math.min(...values) > LOG_SCALE_RATIO;
}

/**
 * Each model's mean with its 95% CI as an error bar: horizontal bars from 0 (they compare by length), or
 * points on a log axis when the values span more than LOG_SCALE_RATIO.
 */
export interface IntervalRow {
  model: string;
  mean: number;
  low: number;
  high: number;
}
export function intervalBarChart(rows: IntervalRow[], axisTitle: string): TopLevelSpec | null {
  if (rows.length === 0) return null;
  const log = wantsLogScale(rows.flatMap((r) => [r.low, r.high]));
  const title = log ? `${axisTitle}, log scale` : axisTitle;
  const x = {
    field: "mean",
    type: "quantitative",
    title,
    ...(log ? { scale: { type: "log" as const } } : {}),
  } as const;
  return {
    width: WIDTH,
    data: { values: rows },
    encoding: { y: MODEL_AXIS },
    layer: [
      log ? { mark: { type: "point", filled: true, size: 60 }, encoding: { x } } : { mark: "bar", encoding: { x } },
      {
        mark: { type: "errorbar", ticks: true },
        encoding: { x: { field: "low", type: "quantitative", title }, x2: { field: "high" } },
      },
    ],
  };
}

/** One bar per model with a dashed rule at `ruleAt` (e.g. the 100% of a bound). */
export function barChartWithRule(
  rows: { model: string; value: number }[],
  axisTitle: string,
  ruleAt: number,
): TopLevelSpec | null {
  if (rows.length === 0) return null;
  return {
    width: WIDTH,
    layer: [
      {
        data: { values: rows },
        mark: "bar",
        encoding: { y: MODEL_AXIS, x: { field: "value", type: "quantitative", title: axisTitle } },
      },
      {
        data: { values: [{ rule: ruleAt }] },
        mark: { type: "rule", strokeDash: [4, 4], color: "#cf222e" },
        encoding: { x: { field: "rule", type: "quantitative" } },
      },
    ],
  };
}

/**
 * One line per series (a model, an engine) over a numeric x such as the context size or the number of
 * concurrent requests. `x.log2` doubles per tick step (sizes that double); ticks sit on the measured x values.
 * The y axis turns logarithmic when the values span more than LOG_SCALE_RATIO.
 */
export function lineChart(
  rows: { series: string; x: number; value: number }[],
  x: { title: string; log2: boolean },
  yTitle: string,
  seriesTitle = "Model",
): TopLevelSpec | null {
  if (rows.length === 0) return null;
  const log = wantsLogScale(rows.map((r) => r.value));
  const y = log
    ? ({ field: "value", type: "quantitative", title: `${yTitle}, log scale`, scale: { type: "log" } } as const)
    : ({ field: "value", type: "quantitative", title: yTitle } as const);
  return seriesLines(
    rows,
    measuredXAxis(
      "x",
      x.title,
      rows.map((r) => r.x),
      x.log2,
    ),
    y,
    seriesTitle,
  );
}

/**
 * A whole-number x axis (a context size, a stream count) with ticks only at the values measured (vega's own log
 * ticks would add 1.1, 1.2…), log 2 when they double.
 */
function measuredXAxis(field: string, title: string, values: number[], log2: boolean) {
  const ticks = [...new Set(values)].sort((p, q) => p - q);
  return {
    field,
    type: "quantitative",
    title,
    axis: { values: ticks, format: ",d" },
    ...(log2 ? { scale: { type: "log" as const, base: 2 } } : {}),
  } as const;
}

/** One line with points per `series` of the rows, with the given x and y encodings and a legend below. */
function seriesLines(
  rows: object[],
  x: ReturnType<typeof measuredXAxis>,
  y: { field: "value"; type: "quantitative"; title: string; scale?: { type: "log" } },
  seriesTitle: string | null,
): TopLevelSpec {
  return {
    width: WIDTH,
    height: HEIGHT,
    data: { values: rows },
    mark: { type: "line", point: true },
    encoding: {
      x,
      y,
      color: { field: "series", type: "nominal", title: seriesTitle, sort: null, legend: LEGEND },
    },
  };
}

/** Bars per model, one per phase, grouped (e.g. load and first decode). */
export function groupedBarChart(
  rows: { model: string; group: string; value: number }[],
  groups: string[],
  axisTitle: string,
): TopLevelSpec | null {
  if (rows.length === 0) return null;
  return {
    width: WIDTH,
    data: { values: rows },
    mark: "bar",
    encoding: {
      y: MODEL_AXIS,
      yOffset: { field: "group", type: "nominal", sort: groups },
      x: { field: "value", type: "quantitative", title: axisTitle },
      color: { field: "group", type: "nominal", title: null, sort: groups, legend: { orient: "bottom" } },
    },
  };
}

/** A spec to a standalone SVG string, in Node (no browser, no network: every fetch is refused). */
export async function chartToSvg(spec: TopLevelSpec): Promise<string> {
  const compiled = compile({ ...spec, config: { font: "sans-serif" } } as TopLevelSpec).spec;
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

/** One line per case against the concurrency level (log 2 axis): throughput or a latency percentile. */
export function concurrencyLineChart(
  rows: { series: string; concurrency: number; value: number }[],
  axisTitle: string,
): TopLevelSpec | null {
  if (rows.length === 0) return null;
  const x = measuredXAxis(
    "concurrency",
    "Concurrent streams",
    rows.map((r) => r.concurrency),
    true,
  );
  return seriesLines(rows, x, { field: "value", type: "quantitative", title: axisTitle }, null);
}
