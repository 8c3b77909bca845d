import type { TopLevelSpec } from "vega-lite";
import { settingsText } from "../compare/comparisonCells.ts";
import { chartToSvg } from "../report/charts.ts";
import { escapeHtml } from "../report/escapeHtml.ts";
import { formatNumber, MIB } from "../report/formatValue.ts";
import { boundStrings } from "../text/boundStrings.ts";
import { href, layout } from "./layout.ts";
import type { TrendPoint } from "./trendPoints.ts";

const WIDTH = 560;
const HEIGHT = 240;

/**
 * `/trend?model=<fingerprint>`: generation tokens/s and peak memory of one model over its runs, one line
 * per machine, and every point in a table with its settings (points of different settings share a line:
 * the table says which). The stored strings are bounded first (boundStrings).
 */
export async function trendPage(
  storedLabel: string,
  storedFingerprint: string,
  storedPoints: TrendPoint[],
  database: string,
) {
  const [label, fingerprint, points] = boundStrings([storedLabel, storedFingerprint, storedPoints] as const);
  const speed = points.flatMap((p) =>
    p.generationTokensPerSecond === null
      ? []
      : [{ time: p.startedAt, machine: p.machine, value: p.generationTokensPerSecond }],
  );
  const memory = points.flatMap((p) =>
    p.inferencePeakRssBytes === null
      ? []
      : [{ time: p.startedAt, machine: p.machine, value: p.inferencePeakRssBytes / MIB }],
  );
  const body = [
    `<h1>${escapeHtml(label)}</h1>`,
    `<p class="note">File fingerprint ${escapeHtml(fingerprint)} · ${points.length} stored result(s) · one line per machine</p>`,
    await chart("generation", "Generation speed (tokens/s), mean of the timed runs", speed),
    await chart("memory", "Peak memory during inference (MiB, VmHWM)", memory),
    pointsTable(points),
  ].join("\n");
  return layout(label, body, database);
}

async function chart(id: string, title: string, values: { time: string; machine: string; value: number }[]) {
  if (values.length === 0) return `<p>${escapeHtml(title)}: no data to chart.</p>`;
  const spec: TopLevelSpec = {
    width: WIDTH,
    height: HEIGHT,
    data: { values },
    mark: { type: "line", point: true },
    encoding: {
      x: { field: "time", type: "temporal", scale: { type: "utc" }, title: "Run started (UTC)" },
      y: { field: "value", type: "quantitative", title, scale: { zero: false } },
      color: { field: "machine", type: "nominal", title: "Machine", legend: { orient: "bottom", labelLimit: 520 } },
    },
  };
  return `<figure class="chart" data-chart="${escapeHtml(id)}"><figcaption>${escapeHtml(title)}</figcaption>${await chartToSvg(spec)}</figure>`;
}

function pointsTable(points: TrendPoint[]): string {
  const rows = [...points].reverse().map(
    (p) => `<tr><td><a href="${href(`/run/${encodeURIComponent(p.runId)}`)}">${escapeHtml(p.runId.slice(0, 8))}</a></td>
<td>${escapeHtml(p.startedAt.slice(0, 16).replace("T", " "))}</td><td>${escapeHtml(p.machine)}</td><td>${escapeHtml(p.status)}</td>
<td class="num">${p.generationTokensPerSecond === null ? "—" : formatNumber(p.generationTokensPerSecond, 2)}</td>
<td class="num">${p.inferencePeakRssBytes === null ? "—" : formatNumber(p.inferencePeakRssBytes / MIB, 1)}</td>
<td class="num">${p.inferenceContextSize ?? "—"}</td><td>${escapeHtml(settingsText(p.settings))}</td></tr>`,
  );
  return `<h2>Every result, newest first</h2><div class="table-wrap"><table id="points"><thead><tr><th>Run</th><th>Started (UTC)</th><th>Machine</th><th>Status</th><th class="num">Generation (tokens/s)</th><th class="num">Peak memory (MiB)</th><th class="num">n_ctx</th><th>Settings</th></tr></thead><tbody>
${rows.join("\n")}
</tbody></table></div>`;
}
