import { analyzeRuns } from "../analysis/caseAnalysis.ts";
import { engineComparisons, saturationLevel } from "../analysis/engineComparison.ts";
import { notMeasuredFields } from "../analysis/notMeasured.ts";
import { caseStatus } from "../results/caseStatus.ts";
import { type RunResults, SCHEMA_VERSION } from "../results/types.ts";
import { busyWarning } from "../stats/busyStages.ts";
import { terminalText } from "../text/printable.ts";

/**
 * The results themselves plus everything derived from them (fits, scaling, recommendations, roofline, best
 * settings, the quality trade-offs, engines side by side, where concurrency saturates, the busy-machine warning). Analysis entries refer to their case by runId + caseId instead of repeating the results.
 */
export function renderJson(runs: RunResults[]): string {
  const analysis = analyzeRuns(runs);
  const report = {
    schemaVersion: SCHEMA_VERSION,
    kind: "gguf-bench-report",
    runs,
    analysis: {
      varied: analysis.varied,
      cases: analysis.cases.map((c) => ({
        runId: c.runId,
        caseId: c.model.caseId,
        name: c.name,
        // As readers take it: "interrupted" for a case a stop cut short, older files' included.
        status: caseStatus(c.model),
        synthetic: c.model.synthetic,
        memoryTotalBytes: c.memoryTotalBytes,
        memoryFit: c.fit,
        timeScaling: c.timeScaling,
        trainingContext: c.trainingContext,
        roofline: c.roofline,
        observations: c.observations,
        runs: c.runs,
        notMeasured: notMeasuredFields(c.model),
        busyMachine: busyWarning(c.model),
      })),
      recommendations: analysis.recommendations,
      bestSettings: analysis.bestSettings,
      quality: analysis.quality.map((t) => {
        const ref = (p: { runId: string; caseId: string; name: string } | null) =>
          p && { runId: p.runId, caseId: p.caseId, name: p.name };
        return { ...t, recommended: ref(t.recommended), closest: ref(t.closest) };
      }),
      engines: engineComparisons(analysis.cases),
      concurrency: analysis.cases.flatMap((c) =>
        c.model.concurrency.length > 0
          ? [{ runId: c.runId, caseId: c.model.caseId, name: c.name, saturation: saturationLevel(c.model.concurrency) }]
          : [],
      ),
    },
  };
  // JSON escapes C0 controls itself; terminalText escapes the rest (C1, bidi), so `cat report.json` is safe too.
  return terminalText(`${JSON.stringify(report, null, 2)}\n`);
}
