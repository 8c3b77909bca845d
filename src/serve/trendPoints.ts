import { caseStatus } from "../results/caseStatus.ts";
import type { CaseSettings, ModelResult, Summary } from "../results/types.ts";
import type { ModelHistoryRow } from "../store/resultStore.ts";

/** One stored result of a model as a point of its trend. Null where the case did not measure it. */
export interface TrendPoint {
  runId: string;
  startedAt: string;
  machine: string;
  status: ModelResult["status"];
  settings: CaseSettings;
  /** Mean generation speed over the timed inference runs. */
  generationTokensPerSecond: number | null;
  /** Highest peak RSS (VmHWM) over the timed inference runs, at `inferenceContextSize`. */
  inferencePeakRssBytes: number | null;
  inferenceContextSize: number | null;
}

/** The figures a trend follows, from the stored results (pure). */
export function trendPoints(rows: ModelHistoryRow[]): TrendPoint[] {
  return rows.map(({ runId, startedAt, machine, model }) => {
    const summaries = model.inference?.summaries;
    return {
      runId,
      startedAt,
      machine,
      status: caseStatus(model),
      settings: model.settings,
      // n = 0: not measured (an outside server's memory): no point, not 0.
      generationTokensPerSecond: finite(measured(summaries?.generationTokensPerSecond)?.mean),
      inferencePeakRssBytes: finite(measured(summaries?.peakRssBytes)?.max),
      inferenceContextSize: model.inference?.contextSize ?? null,
    };
  });
}

const measured = (s: Summary | undefined): Summary | undefined => (s && s.n > 0 ? s : undefined);

function finite(value: number | undefined): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}
