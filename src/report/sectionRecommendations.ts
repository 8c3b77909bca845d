import type { CaseAnalysis, ReportAnalysis } from "../analysis/caseAnalysis.ts";
import { noPlanReason, predictedMemoryBytes } from "../analysis/memoryFit.ts";
import { USE_CASES } from "../analysis/useCases.ts";
import { formatContext, formatNumber, GIB } from "./formatValue.ts";
import { type Block, type Cell, emptyCell, numberCell, textCell } from "./reportDocument.ts";

/**
 * Which model for short chat, for long documents, and what memory to plan for: the recommendation per use case
 * (with the cases that could not serve it, and why), then the fitted memory of each case at each use case's
 * context size.
 */
export function recommendationsSection(analysis: ReportAnalysis): Block[] {
  const blocks: Block[] = [
    { kind: "heading", level: 2, text: "Recommendations" },
    {
      kind: "paragraph",
      text: "Per use case, among the cases that ran: the model must be trained for the use case's upper context size, must not have failed at or below it, and its fitted memory at that size must fit the machine's RAM; the fastest measured generation wins.",
    },
  ];
  const recs = analysis.recommendations;
  blocks.push({
    kind: "table",
    id: "recommendations",
    columns: ["Use case", "Recommended", "Why"].map((label) => ({ label, numeric: false })),
    rows: recs.map((r): Cell[] => [
      textCell(
        `${r.useCase.title} (${r.useCase.range}, judged at ${formatNumber(r.useCase.targetContextTokens)} tokens)`,
      ),
      textCell(r.choice ? r.choice.name : "none"),
      textCell(r.reason),
    ]),
  });
  const rejected = recs.filter((r) => r.rejected.length > 0);
  if (rejected.length > 0)
    blocks.push({
      kind: "details",
      id: "not-eligible",
      heading: { level: 3, text: "Not eligible, per use case" },
      summary: `${rejected.reduce((n, r) => n + r.rejected.length, 0)} model × use case pair(s) excluded, each with why`,
      blocks: rejected.flatMap((r): Block[] => [
        { kind: "heading", level: 4, text: r.useCase.title },
        { kind: "list", items: r.rejected.map((x) => `${x.name} — ${x.reason}`) },
      ]),
    });
  return [...blocks, ...memoryPlan(analysis)];
}

function memoryPlan(analysis: ReportAnalysis): Block[] {
  const cases = analysis.cases;
  if (cases.length === 0) return [];
  return [
    { kind: "heading", level: 3, text: "Memory to plan for" },
    {
      kind: "paragraph",
      text: "Peak memory the fit (base + slope × context tokens, from the context sizes that ran) predicts at each use case's context size and at the model's own training context, in GiB. Beyond the largest size measured it is an extrapolation; beyond the training context the model is not meant to run at all.",
    },
    {
      kind: "table",
      id: "memory-plan",
      columns: [
        { label: "Model", numeric: false },
        ...USE_CASES.map((u) => ({ label: `At ${formatContext(u.targetContextTokens)} tokens (GiB)`, numeric: true })),
        { label: "At its training context (GiB)", numeric: true },
        { label: "RAM (GiB)", numeric: true },
        { label: "Note", numeric: false },
      ],
      rows: cases.map((c): Cell[] => {
        const training = c.model.info.contextLength;
        return [
          textCell(c.name),
          ...USE_CASES.map((u): Cell => {
            const bytes = predictedMemoryBytes(c.fit, u.targetContextTokens);
            if (bytes === null) return emptyCell;
            const notes = [
              training !== null && training < u.targetContextTokens ? "beyond training context" : "",
              bytes > c.memoryTotalBytes ? "exceeds RAM" : "",
            ].filter(Boolean);
            const text = formatNumber(bytes / GIB, 2);
            return numberCell(notes.length > 0 ? `${text} (${notes.join(", ")})` : text, bytes);
          }),
          atTraining(c),
          numberCell(formatNumber(c.memoryTotalBytes / GIB, 2), c.memoryTotalBytes),
          textCell(noPlanReason(c.fit) ?? ""),
        ];
      }),
    },
  ];
}

/** The fit at the largest context the model is trained for: the most it should ever need. */
function atTraining(c: CaseAnalysis): Cell {
  const training = c.model.info.contextLength;
  const bytes = training === null ? null : predictedMemoryBytes(c.fit, training);
  if (training === null || bytes === null) return emptyCell;
  const over = bytes > c.memoryTotalBytes ? ", exceeds RAM" : "";
  return numberCell(`${formatNumber(bytes / GIB, 2)} (${formatContext(training)} tokens${over})`, bytes);
}
