import type { CaseSettings, ModelResult, Warning } from "../results/types.ts";
import type { SampleMoments } from "../stats/welch.ts";
import type { Better, CompareUnit } from "./compareMetrics.ts";

/** The result of `compare`: plain data, rendered as Markdown or written as JSON. */
export interface RunComparison {
  kind: "gguf-bench-comparison";
  /** p below this is called significant. */
  significanceLevel: number;
  a: RunSide;
  b: RunSide;
  /** Environment and run-setting differences. */
  warnings: Warning[];
  /**
   * Whether both runs used the same llama.cpp commit; null when either run does not record it (runs from before
   * 2026-12-01, or node-llama-cpp did not run: see a/b.llamaCppCommitNotRecordedReason). Different commits are
   * also a warning ("llama.cpp commit differs between the runs").
   */
  sameLlamaCppCommit: boolean | null;
  models: ModelComparison[];
  onlyInA: ModelRef[];
  onlyInB: ModelRef[];
}

export interface RunSide {
  runId: string;
  startedAt: string;
  hostname: string;
  cpuModel: string;
  llamaCppBuild: string;
  /** The llama.cpp commit (40 hex) the run used; null when not recorded, with the reason below. */
  llamaCppCommit: string | null;
  llamaCppCommitNotRecordedReason: string | null;
  /** Where the run came from: "database" or the results.json path. */
  source: string;
}

export interface ModelRef {
  caseId: string;
  label: string;
  fileFingerprint: string;
  status: ModelResult["status"];
}

export interface ModelComparison {
  a: ModelRef;
  b: ModelRef;
  matchedBy: "fingerprint" | "label";
  settingsA: CaseSettings;
  settingsB: CaseSettings;
  metrics: MetricComparison[];
  /** Settings differences, name-only matches, failed cases. */
  warnings: Warning[];
}

/**
 * "improved"/"regressed": significant (p < level) in the good/bad direction; "changed": significant on a
 * metric that is neither better nor worse; "no-significant-change"; "not-tested": fewer than two values a
 * side (single measurements: load, contexts) or no variance at all.
 */
export type Verdict = "improved" | "regressed" | "changed" | "no-significant-change" | "not-tested";

export interface MetricComparison {
  metric: string;
  label: string;
  unit: CompareUnit;
  better: Better;
  a: SampleMoments;
  b: SampleMoments;
  /** mean(B) − mean(A). */
  difference: number;
  /** 100 × difference / |mean(A)|; null when mean(A) is 0. */
  changePercent: number | null;
  /** 95% CI of the difference, in the metric's unit and in % of |mean(A)|; null when not tested. */
  ci95Low: number | null;
  ci95High: number | null;
  ci95LowPercent: number | null;
  ci95HighPercent: number | null;
  t: number | null;
  df: number | null;
  p: number | null;
  significant: boolean;
  verdict: Verdict;
}
