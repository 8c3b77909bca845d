import type { CaseAnalysis, ReportAnalysis } from "../analysis/caseAnalysis.ts";
import { engineLimitReason, summaryNotMeasuredReason } from "../analysis/notMeasured.ts";
import { STOP_REASON_SHORT } from "../analysis/runsTaken.ts";
import { SETTING_KEYS } from "../analysis/variedSettings.ts";
import { caseStatus } from "../results/caseStatus.ts";
import type { ModelResult, RunResults } from "../results/types.ts";
import { busyWarning } from "../stats/busyStages.ts";
import { Footnotes } from "./footnotes.ts";
import { formatNumber } from "./formatValue.ts";
import { inferenceContextText } from "./inferenceContextText.ts";
import { columnLabel, displayValue, SUMMARY_METRICS, type SummaryMetric } from "./metrics.ts";
import { busyWarningText } from "./otherCpuBlocks.ts";
import { type Block, type Cell, numberCell, textCell } from "./reportDocument.ts";
import { settingLabel, settingValue, ubatchRunNote } from "./settingText.ts";

/**
 * The table a reader wants first: one row per model × settings case with its speeds (95% CI), TTFT, load time,
 * peak memory, memory per 1K tokens of context and status. Columns come from SUMMARY_METRICS; the settings
 * every row shares and what each figure is are said under the table, then the busy-machine warnings, one per case.
 */
export function summarySection(runs: RunResults[], analysis: ReportAnalysis): Block[] {
  const cases = analysis.cases;
  const blocks: Block[] = [{ kind: "heading", level: 2, text: "Summary" }];
  if (cases.length === 0) return [...blocks, { kind: "paragraph", text: "No model ran." }];
  const footnotes = new Footnotes();
  blocks.push({
    kind: "table",
    id: "summary",
    columns: [
      { label: "Model", numeric: false },
      ...SUMMARY_METRICS.map((m) => ({ label: summaryLabel(m), numeric: true })),
      { label: "Runs per prompt", numeric: true },
      { label: "Status", numeric: false },
    ],
    rows: cases.map((c): Cell[] => [
      textCell(c.name),
      ...SUMMARY_METRICS.map((m) => summaryCell(m, c, footnotes)),
      runsCell(c, footnotes),
      textCell(statusText(c)),
    ]),
  });
  blocks.push(
    { kind: "paragraph", text: `${inferenceSettings(runs)} ${commonSettings(analysis)}` },
    {
      kind: "list",
      items: [
        ...SUMMARY_METRICS.map((m) => `${m.label}: ${m.definition}.`),
        "Runs per prompt: timed runs of each prompt behind the figures, and with --runs auto why they stopped (target met: the 95% CI of generation and prompt tokens/s came within --target-ci; run cap: --max-runs; time cap: --max-runs-time).",
        ...(footnotes.size > 0 ? footnotes.items() : ["—: not measured; the status says why."]),
      ],
    },
  );
  const busy = cases.flatMap((c) => {
    const text = busyWarningText(c.model) ?? c.otherCpuUnmeasured;
    return text ? [`${c.name}: ${text}`] : [];
  });
  if (busy.length > 0) blocks.push({ kind: "heading", level: 3, text: "Warnings" }, { kind: "list", items: busy });
  return blocks;
}

function summaryLabel(m: SummaryMetric): string {
  return m.interval ? `${m.label} (${m.displayUnit}, 95% CI)` : columnLabel(m);
}

function summaryCell(m: SummaryMetric, c: CaseAnalysis, footnotes: Footnotes): Cell {
  const value = m.get(c);
  if (value === null) return textCell(`—${footnotes.mark(m.missing(c))}`);
  const interval = m.interval?.(c);
  const warning = m.warning?.(c) ?? null;
  const text = `${displayValue(m.displayUnit, value)}${warning === null ? "" : ` ${footnotes.warn(warning)}`}`;
  return numberCell(
    interval
      ? `${text} (${displayValue(m.displayUnit, interval.low)} – ${displayValue(m.displayUnit, interval.high)})`
      : text,
    value,
  );
}

/** Timed runs per prompt and, when the file says, why they stopped: "3", "7 (target met)", "10 (run cap)". */
function runsCell(c: CaseAnalysis, footnotes: Footnotes): Cell {
  const runs = c.runs;
  if (!runs) return textCell(`—${footnotes.mark(summaryNotMeasuredReason(c.model, "totalMs"))}`);
  const text =
    runs.reason === null || runs.reason === "fixed"
      ? String(runs.runsPerPrompt)
      : `${runs.runsPerPrompt} (${STOP_REASON_SHORT[runs.reason]})`;
  return numberCell(text, runs.runsPerPrompt);
}

/**
 * "ok", or how the case fell short (interrupted by a stop, the process outcome, else the stages that failed), plus the codes of the
 * inference warnings (noise, a slow first run, outliers) and "busy-machine" (other processes took the cores during a
 * stage): the reader sees a figure to doubt in the summary.
 */
export function statusText(c: CaseAnalysis): string {
  const m = c.model;
  const p = m.process;
  const codes = [...new Set(m.errors.map((e) => `${e.stage} ${e.code}`))];
  const stoppedIn = m.errors.find((e) => e.code === "interrupted")?.stage;
  const status =
    m.status === "ok"
      ? "ok"
      : // A stop (Ctrl-C) cut the case short: how it ended is the stop, not a failure of the model.
        caseStatus(m) === "interrupted"
        ? `interrupted${stoppedIn ? ` during ${stoppedIn}` : ""} (${measuredAnything(m) ? "finished stages kept" : "nothing measured"})`
        : p.outcome !== "ok"
          ? `${m.status}: ${p.outcome}${p.signal ? ` (${p.signal})` : ""}`
          : codes.length > 0
            ? `${m.status}: ${codes.join(", ")}`
            : m.status;
  const busy = busyWarning(m);
  const warnings = [...new Set([...(m.inference?.warnings ?? []), ...(busy ? [busy] : [])].map((w) => w.code))];
  return warnings.length > 0 ? `${status}; warnings: ${warnings.join(", ")}` : status;
}

/** Whether the case kept any figure: its load, a timed run, a context size or a concurrency level. */
function measuredAnything(m: ModelResult): boolean {
  return (
    m.load !== null ||
    m.inference !== null ||
    m.contexts.some((c) => c.status === "ok") ||
    m.concurrency.some((c) => c.status === "ok")
  );
}

/** The inference stage's conditions, once when every run used the same, else a pointer to the methodology. */
function inferenceSettings(runs: RunResults[]): string {
  const phrases = new Set(
    runs.map(
      (run) =>
        `context ${inferenceContextText(run)}, ${run.config.prompts.length} prompt(s) × ${runsText(run.config)} after ${run.config.warmupRuns} warm-up, up to ${run.config.maxTokens} generated tokens`,
    ),
  );
  return phrases.size === 1
    ? `Inference stage: ${[...phrases][0]}.`
    : "Inference stage: the runs differ in their settings (see Methodology as run).";
}

function runsText(c: RunResults["config"]): string {
  return c.autoRuns
    ? `${c.runs}–${c.autoRuns.maxRuns} timed runs (--runs auto, ±${formatNumber(c.autoRuns.targetCiFraction * 100, 1)}%)`
    : `${c.runs} timed run(s)`;
}

/**
 * The settings that did not vary, so every figure has its settings beside it; an outside server (openai) applies its
 * own, so its rows are said not to have them.
 */
function commonSettings(analysis: ReportAnalysis): string {
  const applied = analysis.cases.filter((c) => engineLimitReason(c.model.settings.engine, "settings") === null);
  const outside = analysis.cases.length - applied.length;
  const outsideText = `${engineLimitReason("openai", "settings")}`;
  const first = applied[0];
  if (!first) return outside > 0 ? `Every row (openai): ${outsideText}.` : "";
  const fixed = SETTING_KEYS.filter((k) => !analysis.varied.includes(k));
  if (fixed.length === 0) return outside > 0 ? `openai rows: ${outsideText}.` : "";
  const note = (k: (typeof fixed)[number]) => (k === "ubatchSize" ? ubatchRunNote(applied.map((c) => c.model)) : "");
  const list = fixed.map((k) => `${settingLabel(k)} ${settingValue(k, first.model.settings[k])}${note(k)}`).join(", ");
  const rows = outside > 0 ? "Every row except the openai ones" : "Every row";
  const varied = analysis.varied.length > 0 ? "; the settings that varied are in the model's name" : "";
  return `${rows}: ${list}${varied}.${outside > 0 ? ` openai rows: ${outsideText}.` : ""}`;
}
