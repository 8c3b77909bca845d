import type { CaseAnalysis, ReportAnalysis } from "../analysis/caseAnalysis.ts";
import { SATURATION_GAIN, saturationLevel } from "../analysis/engineComparison.ts";
import { engineLimitReason } from "../analysis/notMeasured.ts";
import type { ConcurrencyResult, LatencySummary } from "../results/types.ts";
import { concurrencyLineChart } from "./charts.ts";
import { Footnotes } from "./footnotes.ts";
import { formatNumber, formatPercent, MIB } from "./formatValue.ts";
import { type Block, type Cell, numberCell, textCell } from "./reportDocument.ts";

type OkLevel = Extract<ConcurrencyResult, { status: "ok" }>;

const COLUMNS: [string, boolean][] = [
  ["Model and engine", false],
  ["Streams", true],
  ["Requests (errors)", true],
  ["Requests/s", true],
  ["Output (tokens/s)", true],
  ["TTFT mean, 95% CI (ms)", true],
  ["TTFT p50 / p90 / p99 (ms)", true],
  ["ITL p50 / p99 (ms)", true],
  ["E2E mean, 95% CI (ms)", true],
  ["E2E p50 / p90 / p99 (ms)", true],
  ["Peak memory (MiB)", true],
];

/**
 * The concurrency stage: per case and level the throughput (requests/s, aggregate output tokens/s) and the latency
 * distributions (TTFT, ITL, E2E: mean with 95% CI and percentiles), charts of throughput and latency against the
 * number of streams, and the level where throughput stops rising. Nothing when the stage did not run.
 */
export function concurrencySection(analysis: ReportAnalysis): Block[] {
  const cases = analysis.cases.filter((c) => c.model.concurrency.length > 0);
  if (cases.length === 0) return [];
  const ok = cases.flatMap((c) => c.model.concurrency.flatMap((l) => (l.status === "ok" ? [{ c, l }] : [])));
  const notes = new Footnotes();
  const rows = cases.flatMap((c) =>
    c.model.concurrency.map((level) => levelCells(c, caseName(c, analysis), level, notes)),
  );
  return [
    { kind: "heading", level: 2, text: "Concurrency" },
    {
      kind: "paragraph",
      text:
        "Closed loop: at each level that many streams each send their next request (the standard prompts in turn) as soon as their last one ended. " +
        "Throughput is over the level's wall time; TTFT, ITL (per request: (E2E − TTFT) ÷ (tokens − 1)) and E2E are per-request distributions, percentiles by linear interpolation (type 7). " +
        "A closed loop never queues more requests than streams, so it under-states the latency of a saturated server.",
    },
    {
      kind: "table",
      id: "concurrency",
      columns: COLUMNS.map(([label, numeric]) => ({ label, numeric })),
      rows,
    },
    ...notes.listBlocks(),
    { kind: "list", items: cases.map((c) => saturationText(caseName(c, analysis), c)) },
    {
      kind: "chart",
      id: "concurrency-throughput",
      title: "Aggregate output tokens/s vs concurrent streams",
      spec: concurrencyLineChart(
        ok.flatMap(({ c, l }) =>
          l.outputTokensPerSecond === null
            ? []
            : [{ series: caseName(c, analysis), concurrency: l.concurrency, value: l.outputTokensPerSecond }],
        ),
        "Output tokens/s (all streams)",
      ),
    },
    {
      kind: "chart",
      id: "concurrency-latency",
      title: "Latency percentiles vs concurrent streams (ms)",
      spec: concurrencyLineChart(
        ok.flatMap(({ c, l }) => {
          const name = caseName(c, analysis);
          return [
            { series: `${name}: TTFT p50`, concurrency: l.concurrency, value: l.ttftMs.p50 },
            { series: `${name}: TTFT p99`, concurrency: l.concurrency, value: l.ttftMs.p99 },
            { series: `${name}: E2E p50`, concurrency: l.concurrency, value: l.e2eMs.p50 },
            { series: `${name}: E2E p99`, concurrency: l.concurrency, value: l.e2eMs.p99 },
          ];
        }),
        "Latency (ms)",
      ),
    },
  ];
}

/** The case's name, naming the engine even when it did not vary (every table names the engine). */
function caseName(c: CaseAnalysis, analysis: ReportAnalysis): string {
  return analysis.varied.includes("engine") ? c.name : `${c.name} (${c.model.settings.engine})`;
}

/** One level's row; every "—" carries the mark of its reason (listed under the table by `notes`). */
function levelCells(c: CaseAnalysis, caseText: string, level: ConcurrencyResult, notes: Footnotes): Cell[] {
  const name = textCell(caseText);
  const streams = numberCell(String(level.concurrency), level.concurrency);
  if (level.status !== "ok") {
    const why = level.status === "unsupported" ? `unsupported: ${level.reason}` : `${level.code}: ${level.message}`;
    const dash = textCell(notes.dash("the level did not run (the Requests column says why)"));
    return [name, streams, textCell(why), ...COLUMNS.slice(3).map(() => dash)];
  }
  const l: OkLevel = level;
  return [
    name,
    streams,
    numberCell(`${l.requests} (${l.errorCount})`, l.requests),
    rateCell(l.requestsPerSecond, 2, l, notes),
    rateCell(l.outputTokensPerSecond, 1, l, notes),
    meanCell(l.ttftMs),
    percentilesCell(l.ttftMs, [l.ttftMs.p50, l.ttftMs.p90, l.ttftMs.p99]),
    itlCell(l, notes),
    meanCell(l.e2eMs),
    percentilesCell(l.e2eMs, [l.e2eMs.p50, l.e2eMs.p90, l.e2eMs.p99]),
    l.peakRssBytes === null
      ? textCell(
          notes.dash(engineLimitReason(c.model.settings.engine, "memory") ?? "memory was not read during this level"),
        )
      : numberCell(formatNumber(l.peakRssBytes / MIB, 1), l.peakRssBytes),
  ];
}

/**
 * ITL p50 / p99 over the requests that had an ITL; a "—" with the reasons when none had; the figures marked with
 * how many requests were left out, and why, when some had none (a request's ITL is null, never 0: see
 * src/metrics/requestMetrics.ts).
 */
function itlCell(l: OkLevel, notes: Footnotes): Cell {
  const without = l.itlNotMeasured;
  const reasons = without?.reasons.length ? without.reasons.join("; ") : null;
  if (l.itlMs.n === 0)
    return textCell(
      notes.dash(
        reasons
          ? `no finished request had an ITL: ${reasons}`
          : "no request produced two or more tokens: no gap between tokens to time",
      ),
    );
  const cell = percentilesCell(l.itlMs, [l.itlMs.p50, l.itlMs.p99]);
  if (!without || without.requests === 0) return cell;
  const mark = notes.mark(
    `the ITL of ${without.requests} of ${l.itlMs.n + without.requests} finished requests (left out of the figures marked): ${reasons ?? "no span to time"}`,
  );
  return { ...cell, text: `${cell.text} ${mark}` };
}

/** A throughput figure, or a "—" marked with why it was not measured (a level that took 0 ms). */
function rateCell(value: number | null, decimals: number, l: OkLevel, notes: Footnotes): Cell {
  if (value !== null) return numberCell(formatNumber(value, decimals), value);
  return textCell(notes.dash(l.throughputNotMeasuredReason ?? "the level's duration was not measurable"));
}

function meanCell(s: LatencySummary): Cell {
  return numberCell(
    `${formatNumber(s.mean, 1)} (${formatNumber(s.ci95Low, 1)} – ${formatNumber(s.ci95High, 1)})`,
    s.mean,
  );
}

function percentilesCell(s: LatencySummary, values: number[]): Cell {
  return numberCell(values.map((v) => formatNumber(v, 1)).join(" / "), s.p50);
}

function saturationText(name: string, c: CaseAnalysis): string {
  const { level, stillRising } = saturationLevel(c.model.concurrency);
  if (level !== null)
    return `${name}: aggregate output tokens/s stops rising at ${level} stream(s) (the next level adds less than ${formatPercent(SATURATION_GAIN, 0)}).`;
  return stillRising
    ? `${name}: aggregate output tokens/s still rises at the highest level measured.`
    : `${name}: fewer than two levels measured; no saturation point.`;
}
