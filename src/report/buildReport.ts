import type { ReportAnalysis } from "../analysis/caseAnalysis.ts";
import type { RunResults } from "../results/types.ts";
import type { Block } from "./reportDocument.ts";
import { comparisonSection } from "./sectionComparison.ts";
import { modelSection } from "./sectionModel.ts";
import { outcomesSection } from "./sectionOutcomes.ts";
import { overviewSection } from "./sectionOverview.ts";

/** The whole report as blocks, in the order of the seed document. */
export function buildReport(runs: RunResults[], analysis: ReportAnalysis): Block[] {
  return [
    ...overviewSection(runs, analysis),
    { kind: "heading", level: 2, text: "Results per model" },
    ...analysis.cases.flatMap((c, i) => modelSection(c, i)),
    ...comparisonSection(analysis),
    ...outcomesSection(analysis),
  ];
}
