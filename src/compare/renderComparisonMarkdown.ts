import { markdownTable } from "markdown-table";
import { escapeMarkdown as esc } from "../report/escapeMarkdown.ts";
import type { Warning } from "../results/types.ts";
import { boundStrings } from "../text/boundStrings.ts";
import { METRIC_COLUMNS, metricCells, settingsText } from "./comparisonCells.ts";
import type { ModelComparison, ModelRef, RunComparison, RunSide, Verdict } from "./runComparison.ts";

/**
 * `compare --format md`: pure; every string that came from a run (labels, hosts, CPUs, ids) is bounded first
 * (boundStrings) and escaped.
 */
export function renderComparisonMarkdown(comparison: RunComparison): string {
  const c = boundStrings(comparison);
  const out: string[] = ["# gguf-bench comparison", ""];
  out.push(
    markdownTable(
      [["", "Run", "Started", "Machine", "CPU", "llama.cpp", "From"], sideRow("A (baseline)", c.a), sideRow("B", c.b)],
      { stringLength: displayWidth },
    ),
    "",
  );
  const unknown = commitUnknownLine(c);
  if (unknown) out.push(unknown, "");
  const tested = c.models.flatMap((m) => m.metrics).filter((m) => m.verdict !== "not-tested");
  const count = (v: Verdict) => tested.filter((m) => m.verdict === v).length;
  out.push(
    `Change is B relative to A. A change is called significant only when Welch's t-test gives p < ${c.significanceLevel}; ` +
      "the interval is the 95% confidence interval of the difference B − A, in % of A. " +
      `Tested figures: ${tested.length}; significantly better: ${count("improved")}, worse: ${count("regressed")}, ` +
      `changed: ${count("changed")}. Single measurements (load, per-context figures) show the change only.`,
    "",
  );
  if (c.warnings.length > 0) out.push("## Warnings", "", ...c.warnings.map(warningLine), "");
  for (const model of c.models) out.push(...modelSection(model));
  if (c.onlyInA.length > 0) out.push("## Only in A", "", ...c.onlyInA.map(refLine), "");
  if (c.onlyInB.length > 0) out.push("## Only in B", "", ...c.onlyInB.map(refLine), "");
  if (c.models.length === 0) out.push("No model appears in both runs.", "");
  return `${out.join("\n").trimEnd()}\n`;
}

function sideRow(name: string, s: RunSide): string[] {
  return [
    name,
    esc(s.runId.slice(0, 8)),
    esc(s.startedAt),
    esc(s.hostname),
    esc(s.cpuModel),
    esc(
      s.llamaCppCommit === null
        ? `${s.llamaCppBuild}, commit unknown`
        : `${s.llamaCppBuild}, commit ${s.llamaCppCommit.slice(0, 7)}`,
    ),
    esc(s.source),
  ];
}

/** Said when a run does not record its llama.cpp commit: whether both ran the same llama.cpp is then not known. */
function commitUnknownLine(c: RunComparison): string | null {
  if (c.sameLlamaCppCommit !== null) return null;
  const why = (name: string, s: RunSide) =>
    s.llamaCppCommit === null ? [`${name}: ${esc(s.llamaCppCommitNotRecordedReason ?? "not recorded")}`] : [];
  return (
    "The llama.cpp commit is unknown for " +
    `${[...why("A", c.a), ...why("B", c.b)].join("; ")}: whether both runs used the same llama.cpp is not known.`
  );
}

function modelSection(m: ModelComparison): string[] {
  const title = m.a.label === m.b.label ? esc(m.a.label) : `${esc(m.a.label)} → ${esc(m.b.label)}`;
  const lines = [
    `## ${title}`,
    "",
    `Cases: A ${esc(m.a.caseId)}, B ${esc(m.b.caseId)}; matched by ${m.matchedBy === "fingerprint" ? "file fingerprint" : "name"}. ` +
      `Settings: ${settingsText(m.settingsA)}.`,
    "",
  ];
  if (m.warnings.length > 0) lines.push(...m.warnings.map(warningLine), "");
  if (m.metrics.length === 0) return [...lines, "No figure was measured in both runs.", ""];
  // Metric cells hold only our own labels and numbers.
  const rows = m.metrics.map(metricCells);
  lines.push(
    markdownTable([[...METRIC_COLUMNS], ...rows], {
      align: ["l", "r", "r", "r", "r", "r", "l"],
      stringLength: displayWidth,
    }),
    "",
  );
  return lines;
}

function warningLine(w: Warning): string {
  return `- ⚠️ ${esc(w.message)} — ${esc(w.hint)}.`;
}

function refLine(r: ModelRef): string {
  return `- ${esc(r.label)} (case ${esc(r.caseId)}, ${r.status})`;
}

/**
 * Terminal columns of a cell, so tables line up where they are read (and as Markdown formatters pad them):
 * emoji and East Asian wide characters take two, combining marks and variation selectors none.
 */
function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (/\p{Mark}|\u200d/u.test(char) || (code >= 0xfe00 && code <= 0xfe0f)) continue;
    width +=
      /\p{Emoji_Presentation}|[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60\uffe0-\uffe6]/u.test(
        char,
      )
        ? 2
        : 1;
  }
  return width;
}
