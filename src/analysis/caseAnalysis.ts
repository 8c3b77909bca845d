import type { CaseSettings, ModelResult, RunResults } from "../results/types.ts";
import { unmeasuredShareText } from "../stats/busyStages.ts";
import { MAX_LABEL_CHARS, printable } from "../text/printable.ts";
import type { BestSettings } from "./bestSettings.ts";
import { bestSettings } from "./bestSettings.ts";
import { type MemoryFit, memoryFit } from "./memoryFit.ts";
import { modelDisplayName } from "./modelDisplayName.ts";
import { observations } from "./observations.ts";
import { type QualityTradeoff, qualityTradeoffs } from "./qualityTradeoffs.ts";
import { type Recommendation, recommendations } from "./recommendations.ts";
import { type RooflinePoint, rooflineFor } from "./roofline.ts";
import { type RunsTaken, runsTaken } from "./runsTaken.ts";
import { textEquivalent } from "./textEquivalent.ts";
import { type TimeScaling, timePerDoubling } from "./timePerDoubling.ts";
import { variedSettings } from "./variedSettings.ts";

/** Everything the reports derive from one model × settings case. */
export interface CaseAnalysis {
  runId: string;
  /** Unique display name within the report: label, plus the settings that varied, plus the run when needed. */
  name: string;
  model: ModelResult;
  memoryTotalBytes: number;
  fit: MemoryFit;
  timeScaling: TimeScaling | null;
  trainingContext: { tokens: number; words: number; pages: number } | null;
  roofline: RooflinePoint[];
  observations: string[];
  /** Timed runs per prompt behind the inference figures and why they stopped; null: no timed run. */
  runs: RunsTaken | null;
  /**
   * When other processes' share of the cores could not be measured during inference (the openai engine): why, and
   * the run's start-of-run busy check instead; null when it was measured.
   */
  otherCpuUnmeasured: string | null;
}

export interface ReportAnalysis {
  cases: CaseAnalysis[];
  /** Settings that took more than one value across all cases of all runs. */
  varied: (keyof CaseSettings)[];
  recommendations: Recommendation[];
  bestSettings: BestSettings[];
  /** Models measured against a reference (run --quality --reference), per reference: Pareto fronts, the pick. */
  quality: QualityTradeoff[];
}

/** Merges several runs into one comparison and derives fits, scaling, observations and recommendations. */
export function analyzeRuns(runs: RunResults[]): ReportAnalysis {
  const all = runs.flatMap((run) => run.models.map((model) => ({ run, model })));
  const varied = variedSettings(all.map((c) => c.model));
  const baseNames = all.map(({ model }) => caseBaseName(model, varied));
  const cases = all.map(({ run, model }, i): CaseAnalysis => {
    const base = baseNames[i] ?? model.label;
    const name = uniqueName(base, i, all, baseNames);
    const fit = memoryFit(model);
    const timeScaling = timePerDoubling(model);
    const bandwidth = run.environment.memoryBandwidthBytesPerSecond;
    const roofline = bandwidth ? rooflineFor(model, bandwidth) : [];
    const training = model.info.contextLength;
    return {
      runId: run.runId,
      name,
      model,
      memoryTotalBytes: run.environment.memory.totalBytes,
      fit,
      timeScaling,
      trainingContext: training === null ? null : { tokens: training, ...textEquivalent(training) },
      roofline,
      observations: observations(model, fit, timeScaling, roofline),
      runs: runsTaken(model),
      otherCpuUnmeasured: unmeasuredShareText(model, run.config.loadAtStart ?? null),
    };
  });
  return {
    cases,
    varied,
    recommendations: recommendations(cases),
    bestSettings: bestSettings(all.map((c) => c.model)),
    quality: qualityTradeoffs(runs, cases),
  };
}

/** Same label and settings twice: the file tells apart two folders' copies, the run tells apart two runs. */
function uniqueName(
  base: string,
  index: number,
  all: { run: RunResults; model: ModelResult }[],
  baseNames: string[],
): string {
  const me = all[index];
  if (!me) return base;
  const twins = all.filter((_, k) => k !== index && baseNames[k] === base);
  if (twins.length === 0) return base;
  return twins.some((t) => t.model.file === me.model.file)
    ? `${base} [run ${me.run.runId.slice(0, 8)}]`
    : `${base} [${me.model.file}]`;
}

function caseBaseName(model: ModelResult, varied: (keyof CaseSettings)[]): string {
  const settings = varied.map((key) => `${key} ${String(model.settings[key])}`);
  // Synthetic models say so in every name the reports show (charts, tables, recommendations).
  // A label from a file can be any length and hold escape sequences; every table, chart and list shows this name.
  const name = modelDisplayName(printable(model.label, MAX_LABEL_CHARS), model.synthetic);
  return settings.length > 0 ? `${name} (${settings.join(", ")})` : name;
}
