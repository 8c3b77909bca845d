import type { TopLevelSpec } from "vega-lite";
import { METRIC_COLUMNS, metricCells, settingsText } from "../compare/comparisonCells.ts";
import type { ModelComparison, ModelRef, RunComparison, RunSide } from "../compare/runComparison.ts";
import { chartToSvg } from "../report/charts.ts";
import { escapeHtml } from "../report/escapeHtml.ts";
import type { Warning } from "../results/types.ts";
import { boundStrings } from "../text/boundStrings.ts";
import { href, layout } from "./layout.ts";

const CHART_WIDTH = 520;

/**
 * `/compare?a=…&b=…`: what `gguf-bench compare` prints, as a page — the two runs, their environment and
 * settings differences first, then per model the Welch table and a chart of each tested metric's change
 * with its 95% confidence interval. Every string from the runs is bounded first (boundStrings).
 */
export async function comparePage(comparison: RunComparison, database: string): Promise<string> {
  const c = boundStrings(comparison);
  const sections: string[] = [];
  for (const model of c.models) sections.push(await modelSection(model));
  const body = [
    `<h1>Compare ${escapeHtml(c.a.runId.slice(0, 8))} → ${escapeHtml(c.b.runId.slice(0, 8))}</h1>`,
    sidesTable(c.a, c.b),
    `<p>Change is B relative to A. A change is called significant only when Welch's t-test gives p &lt; ${c.significanceLevel}; the interval is the 95% confidence interval of the difference B − A, in % of A. Single measurements (load, per-context figures) show the change only.</p>`,
    c.warnings.length > 0
      ? `<h2 id="differences">Environment and settings differences</h2>${warningList(c.warnings)}`
      : '<p class="note">Same machine, build and run settings.</p>',
    ...sections,
    c.models.length === 0 ? "<p>No model appears in both runs.</p>" : "",
    refList("Only in A", c.onlyInA),
    refList("Only in B", c.onlyInB),
  ].join("\n");
  return layout(`Compare ${c.a.runId.slice(0, 8)} → ${c.b.runId.slice(0, 8)}`, body, database);
}

function sidesTable(a: RunSide, b: RunSide): string {
  const row = (name: string, s: RunSide) =>
    `<tr><th scope="row">${name}</th><td><a href="${href(`/run/${encodeURIComponent(s.runId)}`)}">${escapeHtml(s.runId.slice(0, 8))}</a></td><td>${escapeHtml(s.startedAt)}</td><td>${escapeHtml(s.hostname)}</td><td>${escapeHtml(s.cpuModel)}</td><td>${escapeHtml(s.llamaCppBuild)}</td></tr>`;
  return `<div class="table-wrap"><table id="sides"><thead><tr><th></th><th>Run</th><th>Started</th><th>Host</th><th>CPU</th><th>llama.cpp</th></tr></thead><tbody>${row("A (baseline)", a)}${row("B", b)}</tbody></table></div>`;
}

async function modelSection(m: ModelComparison): Promise<string> {
  const title = m.a.label === m.b.label ? escapeHtml(m.a.label) : `${escapeHtml(m.a.label)} → ${escapeHtml(m.b.label)}`;
  const head = METRIC_COLUMNS.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join("");
  const rows = m.metrics
    .map(
      (x) =>
        `<tr>${metricCells(x)
          .map((cell, k) => `<td${k > 0 && k < 6 ? ' class="num"' : ""}>${escapeHtml(cell)}</td>`)
          .join("")}</tr>`,
    )
    .join("\n");
  const chart = await changeChart(m);
  return [
    `<h2 class="model">${title}</h2>`,
    `<p>Cases: A ${escapeHtml(m.a.caseId)}, B ${escapeHtml(m.b.caseId)}; matched by ${m.matchedBy === "fingerprint" ? "file fingerprint" : "name"}. Settings: ${escapeHtml(settingsText(m.settingsA))}. <a href="${href("/trend", { model: m.b.fileFingerprint })}">Trend of this model</a></p>`,
    m.warnings.length > 0 ? warningList(m.warnings) : "",
    m.metrics.length === 0
      ? "<p>No figure was measured in both runs.</p>"
      : `<div class="table-wrap"><table class="welch"><thead><tr>${head}</tr></thead><tbody>\n${rows}\n</tbody></table></div>`,
    chart,
  ].join("\n");
}

/** Change in % of A per tested metric, with its 95% CI as an error bar; null when nothing was tested. */
async function changeChart(m: ModelComparison): Promise<string> {
  const values = m.metrics.flatMap((x) =>
    x.changePercent !== null && x.ci95LowPercent !== null && x.ci95HighPercent !== null
      ? [
          {
            metric: x.label,
            change: x.changePercent,
            low: x.ci95LowPercent,
            high: x.ci95HighPercent,
            result: x.verdict === "improved" ? "better" : x.verdict === "regressed" ? "worse" : "no significant change",
          },
        ]
      : [],
  );
  if (values.length === 0) return "";
  const axis = { field: "metric", type: "nominal", title: null, sort: null, axis: { labelLimit: 0 } } as const;
  const spec: TopLevelSpec = {
    width: CHART_WIDTH,
    data: { values },
    encoding: { y: axis },
    layer: [
      {
        mark: "bar",
        encoding: {
          x: { field: "change", type: "quantitative", title: "Change B vs A (%), 95% CI" },
          color: {
            field: "result",
            type: "nominal",
            title: "Result",
            scale: {
              domain: ["better", "worse", "no significant change"],
              range: ["#1a7f37", "#cf222e", "#8c959f"],
            },
            legend: { orient: "bottom" },
          },
        },
      },
      {
        mark: { type: "errorbar", ticks: true },
        encoding: { x: { field: "low", type: "quantitative" }, x2: { field: "high" } },
      },
    ],
  };
  return `<figure class="chart" data-chart="change"><figcaption>Change per metric (B vs A)</figcaption>${await chartToSvg(spec)}</figure>`;
}

function warningList(warnings: Warning[]): string {
  return `<ul class="warnings">${warnings.map((w) => `<li>⚠️ ${escapeHtml(w.message)} — ${escapeHtml(w.hint)}.</li>`).join("")}</ul>`;
}

function refList(title: string, refs: ModelRef[]): string {
  if (refs.length === 0) return "";
  const items = refs.map(
    (r) => `<li>${escapeHtml(r.label)} (case ${escapeHtml(r.caseId)}, ${escapeHtml(r.status)})</li>`,
  );
  return `<h2>${escapeHtml(title)}</h2><ul>${items.join("")}</ul>`;
}
