import type { TopLevelSpec } from "vega-lite";

const WIDTH = 560;
const HEIGHT = 300;
/** Below this a mean KLD is float32 rounding, not a difference (a model against itself gives ~1e−9). */
const NEAR_ZERO = 1e-7;

export interface TradeoffRow {
  model: string;
  x: number;
  kld: number;
  /** "Pareto-optimal" or "dominated": colour and legend. */
  front: string;
}

/**
 * Mean KLD (y, log scale when the positive values span more than 10×) against a cost or benefit (x): one labelled
 * point per file, Pareto-optimal files in a second colour joined by a line in x order. On a log scale a KLD of
 * about 0 (the reference against itself: ±1e−9 from float32 rounding) is drawn at a tenth of the smallest other
 * value and labelled "KLD ≈ 0". Null without rows.
 */
export function tradeoffChart(input: TradeoffRow[], xTitle: string): TopLevelSpec | null {
  if (input.length === 0) return null;
  const positive = input.map((r) => r.kld).filter((v) => v > NEAR_ZERO);
  const log = positive.length > 1 && Math.max(...positive) / Math.min(...positive) > 10;
  const floor = log ? Math.min(...positive) / 10 : 0;
  const rows = log
    ? input.map((r) => (r.kld > NEAR_ZERO ? r : { ...r, kld: floor, model: `${r.model} (KLD ≈ 0)` }))
    : input;
  const y = {
    field: "kld",
    type: "quantitative",
    title: log ? "Mean KLD (nats, log scale)" : "Mean KLD (nats)",
    ...(log ? { scale: { type: "log" as const } } : {}),
  } as const;
  const x = { field: "x", type: "quantitative", title: xTitle, scale: { zero: false } } as const;
  return {
    width: WIDTH,
    height: HEIGHT,
    data: { values: rows },
    layer: [
      {
        transform: [{ filter: "datum.front === 'Pareto-optimal'" }],
        mark: { type: "line", strokeDash: [4, 3], color: "#1f6feb" },
        encoding: { x: { ...x, sort: "ascending" }, y },
      },
      {
        mark: { type: "point", filled: true, size: 80 },
        encoding: {
          x,
          y,
          color: {
            field: "front",
            type: "nominal",
            title: null,
            scale: { domain: ["Pareto-optimal", "dominated"], range: ["#1f6feb", "#8c959f"] },
            legend: { orient: "bottom" },
          },
        },
      },
      {
        mark: { type: "text", align: "left", dx: 7, dy: -7, limit: 240 },
        encoding: { x, y, text: { field: "model" } },
      },
    ],
  };
}
