import type { CaseAnalysis, ReportAnalysis } from "../analysis/caseAnalysis.ts";
import { noPlanReason } from "../analysis/memoryFit.ts";
import { type MemoryPlan, memoryPlan, memoryPlanSource } from "../analysis/memoryPlan.ts";
import { USE_CASES } from "../analysis/useCases.ts";
import { Footnotes } from "./footnotes.ts";
import { formatContext, formatNumber, GIB } from "./formatValue.ts";
import { type Block, type Cell, numberCell, textCell } from "./reportDocument.ts";

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
      text: "Per use case, among the cases that ran: the model must be trained for the use case's upper context size, must not have failed at or below it, and its memory to plan for at that size (below) must fit the machine's RAM; the fastest measured generation wins.",
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
  return [...blocks, ...memoryPlanSection(analysis)];
}

function memoryPlanSection(analysis: ReportAnalysis): Block[] {
  const cases = analysis.cases;
  if (cases.length === 0) return [];
  const notes = new Footnotes();
  return [
    { kind: "heading", level: 3, text: "Memory to plan for" },
    {
      kind: "paragraph",
      text: "Peak memory to plan for at each use case's context size and at the model's own training context, in GiB, with where it comes from: a peak the context stage measured at that size (the context filled) when there is one; else the fit (base + slope × context tokens) when the size lies within the context sizes it was fitted to; else a peak the context stage measured at a larger size (an upper bound); else the fit extrapolated beyond the sizes measured, with how many points over which range. A figure is never below a peak read at a smaller size (or the inference stage's, read with short prompts): when one is higher, it is the figure (\"at least the peak measured at N tokens\"). Beyond the training context the model is not meant to run at all.",
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
          ...USE_CASES.map((u) => {
            const beyond = training !== null && training < u.targetContextTokens ? ["beyond training context"] : [];
            return planCell(c, memoryPlan(c.model, c.fit, u.targetContextTokens), beyond, notes);
          }),
          training === null
            ? textCell(notes.dash("the training context is not in the model's metadata"))
            : planCell(c, memoryPlan(c.model, c.fit, training), [`${formatContext(training)} tokens`], notes),
          numberCell(formatNumber(c.memoryTotalBytes / GIB, 2), c.memoryTotalBytes),
          textCell(noPlanReason(c.fit) ?? ""),
        ];
      }),
    },
    ...notes.listBlocks(),
  ];
}

/** A plan's figure with where it comes from and any notes; a marked "—" with the reason when there is none. */
function planCell(c: CaseAnalysis, plan: MemoryPlan, notes: string[], footnotes: Footnotes): Cell {
  if (plan.kind === "none") return textCell(footnotes.dash(plan.reason));
  const all = [...notes, memoryPlanSource(plan), ...(plan.bytes > c.memoryTotalBytes ? ["exceeds RAM"] : [])];
  return numberCell(`${formatNumber(plan.bytes / GIB, 2)} (${all.join(", ")})`, plan.bytes);
}
