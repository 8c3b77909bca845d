import type { BestSettings } from "../analysis/bestSettings.ts";
import type { ReportAnalysis } from "../analysis/caseAnalysis.ts";
import { modelDisplayName } from "../analysis/modelDisplayName.ts";
import { formatNumber, formatPercent } from "./formatValue.ts";
import { type Block, type Cell, numberCell, textCell } from "./reportDocument.ts";
import { settingLabel, settingValue } from "./settingText.ts";

/** Roofline and best settings (when present), and failures. */
export function outcomesSection(analysis: ReportAnalysis): Block[] {
  const blocks: Block[] = [];
  const names = new Map(analysis.cases.map((c) => [`${c.runId}/${c.model.caseId}`, c.name]));
  const roofline = analysis.cases.flatMap((c) => c.roofline.map((p) => ({ c, p })));
  if (roofline.length > 0) {
    blocks.push(
      { kind: "heading", level: 2, text: "Roofline" },
      {
        kind: "paragraph",
        text: "Generation tokens/s against the bound set by the measured memory bandwidth ÷ bytes read per token (active weights — for MoE only the experts used — plus the KV cache at that depth). Over 100% means a measurement error.",
      },
      {
        kind: "table",
        id: "roofline",
        columns: [
          "Model",
          "Stage",
          "Bytes per token (MiB)",
          "Bound (tokens/s)",
          "Measured (tokens/s)",
          "Fraction of bound",
          "Flag",
        ].map((label, k) => ({ label, numeric: k >= 2 && k <= 5 })),
        rows: roofline.map(({ c, p }): Cell[] => [
          textCell(names.get(`${c.runId}/${p.caseId}`) ?? c.name),
          textCell(p.contextSize === null ? "inference" : `context ${formatNumber(p.contextSize)}`),
          numberCell(formatNumber(p.bytesPerToken / 1024 ** 2, 1), p.bytesPerToken),
          numberCell(formatNumber(p.boundTokensPerSecond, 2), p.boundTokensPerSecond),
          numberCell(formatNumber(p.measuredTokensPerSecond, 2), p.measuredTokensPerSecond),
          numberCell(formatPercent(p.fraction), p.fraction),
          textCell(
            p.exceeded
              ? "exceeds the bound: measurement error"
              : p.fitsInCache
                ? "fits in the last-level cache: DRAM bound does not apply"
                : "",
          ),
        ]),
      },
    );
  }
  const synthetic = new Set(analysis.cases.filter((c) => c.model.synthetic).map((c) => c.model.file));
  if (analysis.bestSettings.length > 0) {
    blocks.push(
      { kind: "heading", level: 2, text: "Best settings for this machine" },
      {
        kind: "table",
        id: "best-settings",
        columns: [
          "Model",
          "Varied",
          "Best",
          "Generation tokens/s (95% CI)",
          "Runner-up",
          "p (Welch)",
          "Significant",
        ].map((label) => ({
          label,
          numeric: false,
        })),
        rows: analysis.bestSettings.map((b): Cell[] => {
          const describe = (s: typeof b.best.settings) =>
            b.varied.map((k) => `${settingLabel(k)} ${settingValue(k, s[k])}`).join(", ");
          return [
            textCell(modelDisplayName(b.label, synthetic.has(b.file))),
            textCell(b.varied.map((k) => settingLabel(k)).join(", ")),
            textCell(describe(b.best.settings)),
            numberCell(
              `${formatNumber(b.best.mean, 2)} (${formatNumber(b.best.ci95Low, 2)} – ${formatNumber(b.best.ci95High, 2)})`,
              b.best.mean,
            ),
            textCell(b.runnerUp ? `${describe(b.runnerUp.settings)}: ${formatNumber(b.runnerUp.mean, 2)}` : "—"),
            b.runnerUp?.pValue != null
              ? numberCell(
                  b.runnerUp.pValue < 1e-4 ? "< 0.0001" : formatNumber(b.runnerUp.pValue, 4),
                  b.runnerUp.pValue,
                )
              : textCell(b.runnerUp ? "not computable" : "—"),
            textCell(significance(b.runnerUp)),
          ];
        }),
      },
    );
  }
  const failures = analysis.cases.flatMap((c) => c.model.errors.map((e) => ({ c, e })));
  blocks.push({ kind: "heading", level: 2, text: "Failures" });
  if (failures.length === 0) {
    blocks.push({ kind: "paragraph", text: "None: every stage of every case completed." });
  } else {
    blocks.push({
      kind: "table",
      id: "failures",
      columns: ["Model", "Stage", "Code", "Process", "Message"].map((label) => ({ label, numeric: false })),
      rows: failures.map(({ c, e }): Cell[] => [
        textCell(c.name),
        textCell(e.stage),
        textCell(e.code),
        textCell(
          `${c.model.process.outcome}${c.model.process.signal ? ` (${c.model.process.signal})` : ""}${c.model.process.exitCode !== null ? `, exit ${c.model.process.exitCode}` : ""}`,
        ),
        textCell(e.hint ? `${e.message} — hint: ${e.hint}` : e.message),
      ]),
    });
  }
  return blocks;
}

/** Welch's verdict, or why there is none: a busy machine makes the difference unreliable, whatever p says. */
function significance(runnerUp: BestSettings["runnerUp"]): string {
  if (!runnerUp) return "—";
  if (runnerUp.busyOtherCpuFraction !== null)
    return `not reliable: the machine was busy (other processes used up to ${formatPercent(runnerUp.busyOtherCpuFraction)} of the cores during inference)`;
  return runnerUp.significant ? "yes" : "no: the difference may be noise";
}
