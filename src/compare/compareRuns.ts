import { caseStatus } from "../results/caseStatus.ts";
import { LLAMA_CPP_COMMIT_NOT_RECORDED, type ModelResult, type RunResults, type Warning } from "../results/types.ts";
import { type SampleMoments, welchTest } from "../stats/welch.ts";
import { type CompareMetric, metricValues } from "./compareMetrics.ts";
import { environmentWarnings } from "./environmentWarnings.ts";
import { type ModelPair, matchModels, settingsDifferences } from "./matchModels.ts";
import type { MetricComparison, ModelComparison, ModelRef, RunComparison, RunSide, Verdict } from "./runComparison.ts";

/** The conventional 5%: with a handful of runs per case, a stricter level would call almost nothing. */
export const SIGNIFICANCE_LEVEL = 0.05;

/**
 * Compares run B against run A (the baseline), case by case and metric by metric — what `gguf-bench compare`
 * prints. Pure: two RunResults in, a RunComparison out (plain data). Cases are matched by file fingerprint and
 * settings, else by label (then warned). For each metric: mean(B) − mean(A) in the metric's unit (ms, bytes,
 * tokens, tokens/s) and in % of |mean(A)|, Welch's unequal-variances t-test (two-sided p, Welch–Satterthwaite
 * df) with the 95% confidence interval of the difference, and a verdict ("improved", "regressed", "changed",
 * "no-significant-change", or "not-tested" for single measurements or zero variance) at p < 0.05. Warnings
 * name environment and settings differences that make a change hard to attribute.
 * Source: B. L. Welch, "The generalization of Student's problem…", Biometrika 34 (1947).
 * `sources` says where each run came from ("database" or a results.json path), for display. Never throws.
 */
export function compareRuns(
  a: RunResults,
  b: RunResults,
  sources: { a: string; b: string } = { a: "database", b: "database" },
): RunComparison {
  const matching = matchModels(a.models, b.models);
  const sideA = side(a, sources.a);
  const sideB = side(b, sources.b);
  return {
    kind: "gguf-bench-comparison",
    significanceLevel: SIGNIFICANCE_LEVEL,
    a: sideA,
    b: sideB,
    warnings: environmentWarnings(a, b),
    sameLlamaCppCommit:
      sideA.llamaCppCommit === null || sideB.llamaCppCommit === null
        ? null
        : sideA.llamaCppCommit === sideB.llamaCppCommit,
    models: matching.pairs.map(compareModels),
    onlyInA: matching.onlyInA.map(ref),
    onlyInB: matching.onlyInB.map(ref),
  };
}

function compareModels(pair: ModelPair): ModelComparison {
  const valuesB = new Map(metricValues(pair.b).map((v) => [v.metric.id, v.moments]));
  const metrics = metricValues(pair.a).flatMap(({ metric, moments }) => {
    const other = valuesB.get(metric.id);
    return other ? [compareMetric(metric, moments, other)] : [];
  });
  return {
    a: ref(pair.a),
    b: ref(pair.b),
    matchedBy: pair.matchedBy,
    settingsA: pair.a.settings,
    settingsB: pair.b.settings,
    metrics,
    warnings: pairWarnings(pair),
  };
}

export function compareMetric(metric: CompareMetric, a: SampleMoments, b: SampleMoments): MetricComparison {
  const difference = b.mean - a.mean;
  const base = Math.abs(a.mean);
  const percent = (value: number | null) => (value === null || base === 0 ? null : (100 * value) / base);
  const test = welchTest(a, b);
  const significant = test !== null && test.p < SIGNIFICANCE_LEVEL;
  return {
    metric: metric.id,
    label: metric.label,
    unit: metric.unit,
    better: metric.better,
    a,
    b,
    difference,
    changePercent: percent(difference),
    ci95Low: test?.ci95Low ?? null,
    ci95High: test?.ci95High ?? null,
    ci95LowPercent: percent(test?.ci95Low ?? null),
    ci95HighPercent: percent(test?.ci95High ?? null),
    t: test?.t ?? null,
    df: test?.df ?? null,
    p: test?.p ?? null,
    significant,
    verdict: verdict(metric, test === null, significant, difference),
  };
}

function verdict(metric: CompareMetric, untested: boolean, significant: boolean, difference: number): Verdict {
  if (untested) return "not-tested";
  if (!significant) return "no-significant-change";
  if (metric.better === "neither") return "changed";
  return difference > 0 === (metric.better === "higher") ? "improved" : "regressed";
}

function pairWarnings(pair: ModelPair): Warning[] {
  const warnings: Warning[] = [];
  const differences = settingsDifferences(pair.a.settings, pair.b.settings);
  if (differences.length > 0) {
    warnings.push({
      code: "settings-differ",
      message: `settings differ: ${differences.join(", ")}`,
      hint: "a change may come from the settings, not the model",
    });
  }
  if (pair.matchedBy === "label") {
    warnings.push({
      code: "matched-by-label",
      message: `matched by name only: the model files differ (fingerprint ${pair.a.fileFingerprint.slice(0, 12)} → ${pair.b.fileFingerprint.slice(0, 12)})`,
      hint: "the file was replaced (re-quantised, re-downloaded): expected when that is what is being compared",
    });
  }
  for (const [name, model] of [
    ["A", pair.a],
    ["B", pair.b],
  ] as const) {
    const status = caseStatus(model);
    const stoppedIn = model.errors.find((e) => e.code === "interrupted")?.stage;
    if (status !== "ok") {
      warnings.push({
        code: "model-not-ok",
        message:
          status === "interrupted"
            ? `in run ${name} a stop (Ctrl-C or a stop signal) cut this case short${stoppedIn ? ` during ${stoppedIn}` : ""}`
            : `in run ${name} this case ended ${status}${model.errors[0] ? ` (${model.errors[0].code})` : ""}`,
        hint: "only the figures both runs measured are compared",
      });
    }
  }
  return warnings;
}

function side(run: RunResults, source: string): RunSide {
  return {
    runId: run.runId,
    startedAt: run.startedAt,
    hostname: run.environment.hostname,
    cpuModel: run.environment.cpu.model,
    llamaCppBuild: run.environment.llamaCppBuild,
    // Runs read from a history database lack the fields when older than 2026-12-01 (no schema defaults there).
    llamaCppCommit: run.environment.llamaCppCommit ?? null,
    llamaCppCommitNotRecordedReason:
      (run.environment.llamaCppCommit ?? null) === null
        ? (run.environment.llamaCppCommitNotRecordedReason ?? LLAMA_CPP_COMMIT_NOT_RECORDED)
        : null,
    source,
  };
}

function ref(model: ModelResult): ModelRef {
  return {
    caseId: model.caseId,
    label: model.label,
    fileFingerprint: model.fileFingerprint,
    status: caseStatus(model),
  };
}
