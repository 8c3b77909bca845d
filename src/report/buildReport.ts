import type { ReportAnalysis } from "../analysis/caseAnalysis.ts";
import type { RunResults } from "../results/types.ts";
import type { Block } from "./reportDocument.ts";
import { chartsSection } from "./sectionCharts.ts";
import { comparisonSection } from "./sectionComparison.ts";
import { concurrencySection } from "./sectionConcurrency.ts";
import { enginesSection } from "./sectionEngines.ts";
import { detailsSection } from "./sectionModel.ts";
import { outcomesSection } from "./sectionOutcomes.ts";
import { environmentSection, modelsTestedSection, overviewSection } from "./sectionOverview.ts";
import { qualitySection } from "./sectionQuality.ts";
import { recommendationsSection } from "./sectionRecommendations.ts";
import { summarySection } from "./sectionSummary.ts";

/** What every section is built from: the results and the analysis derived from them (nothing else). */
export interface ReportInput {
  runs: RunResults[];
  analysis: ReportAnalysis;
}

/** A section of the report: a pure function of the input to blocks (none when it has nothing to say). */
export interface ReportSection {
  id: string;
  build: (input: ReportInput) => Block[];
}

/**
 * The report's sections, in order: answers first (summary, recommendations, charts), then comparisons, how it
 * was measured, and every model's details last. Markdown and HTML both follow this list; a new section is one
 * entry here.
 */
export const REPORT_SECTIONS: readonly ReportSection[] = [
  { id: "overview", build: ({ runs, analysis }) => overviewSection(runs, analysis) },
  { id: "summary", build: ({ runs, analysis }) => summarySection(runs, analysis) },
  { id: "recommendations", build: ({ analysis }) => recommendationsSection(analysis) },
  { id: "charts", build: ({ analysis }) => chartsSection(analysis) },
  { id: "quality", build: ({ runs, analysis }) => qualitySection(runs, analysis) },
  { id: "engines", build: ({ analysis }) => enginesSection(analysis) },
  { id: "concurrency", build: ({ analysis }) => concurrencySection(analysis) },
  { id: "models-tested", build: ({ analysis }) => modelsTestedSection(analysis) },
  { id: "comparison", build: ({ analysis }) => comparisonSection(analysis) },
  { id: "outcomes", build: ({ analysis }) => outcomesSection(analysis) },
  { id: "environment", build: ({ runs }) => environmentSection(runs) },
  { id: "details", build: ({ analysis }) => detailsSection(analysis) },
];

/** The whole report as blocks. */
export function buildReport(runs: RunResults[], analysis: ReportAnalysis): Block[] {
  return REPORT_SECTIONS.flatMap((section) => section.build({ runs, analysis }));
}
