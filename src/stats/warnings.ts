import type { InferenceSample, Warning } from "../results/types.ts";
import { findOutliers, MODIFIED_Z_THRESHOLD } from "./outliers.ts";
import { median, summarize } from "./summary.ts";

/** CV above 10%: the runs disagree too much for small differences to mean anything (a common benchmarking rule). */
export const HIGH_CV_THRESHOLD = 0.1;
/**
 * First timed run at least 1.5× the median of the later runs of the same prompt. hyperfine warns when the first
 * run is an outlier; with the 3–5 runs usual here a MAD is too unstable for that, so a plain ratio is used.
 */
export const FIRST_RUN_SLOW_RATIO = 1.5;

/** Metrics checked for spread and outliers, each compared only within one prompt (prompts differ in length). */
const CHECKED: { metric: keyof InferenceSample & string; label: string }[] = [
  { metric: "generationTokensPerSecond", label: "generation tokens/s" },
  { metric: "promptTokensPerSecond", label: "prompt tokens/s" },
  { metric: "totalMs", label: "total time" },
];

function byPrompt(samples: readonly InferenceSample[]): Map<string, InferenceSample[]> {
  const groups = new Map<string, InferenceSample[]>();
  for (const s of samples) {
    if (s.warmup) continue;
    const list = groups.get(s.promptId) ?? [];
    list.push(s);
    groups.set(s.promptId, list);
  }
  for (const list of groups.values()) list.sort((a, b) => a.run - b.run);
  return groups;
}

const percent = (x: number) => `${(x * 100).toFixed(1)}%`;

/** Warnings as data (code, message, hint) about the timed samples of one inference stage; warm-ups are ignored. */
export function inferenceWarnings(samples: readonly InferenceSample[]): Warning[] {
  const warnings: Warning[] = [];
  const groups = byPrompt(samples);

  const slowFirst: string[] = [];
  for (const [promptId, runs] of groups) {
    if (runs.length < 2) continue;
    const first = (runs[0] as InferenceSample).totalMs;
    const rest = median(runs.slice(1).map((s) => s.totalMs));
    if (rest > 0 && first >= FIRST_RUN_SLOW_RATIO * rest)
      slowFirst.push(`${promptId} (${first.toFixed(0)} ms vs ${rest.toFixed(0)} ms)`);
  }
  if (slowFirst.length > 0)
    warnings.push({
      code: "first-run-slow",
      metric: "totalMs",
      message: `the first timed run was at least ${FIRST_RUN_SLOW_RATIO}× slower than the median of the others: ${slowFirst.join(", ")}`,
      hint: "caches or page faults were still warming up: use more warm-up runs (--warmup 2)",
    });

  for (const { metric, label } of CHECKED) {
    let worst: { promptId: string; cv: number } | null = null;
    const outliers: string[] = [];
    for (const [promptId, allRuns] of groups) {
      // A figure not measured in a run (null: an empty span) is no value to judge the spread by.
      const runs = allRuns.filter((s) => s[metric] !== null);
      const values = runs.map((s) => s[metric] as number);
      if (values.length < 2) continue;
      const { cv } = summarize(values);
      if (cv > HIGH_CV_THRESHOLD && (worst === null || cv > worst.cv)) worst = { promptId, cv };
      if (values.length >= 3)
        for (const i of findOutliers(values)) outliers.push(`${promptId} run ${(runs[i] as InferenceSample).run + 1}`);
    }
    if (worst)
      warnings.push({
        code: "high-cv",
        metric,
        message: `${label} varies by ${percent(worst.cv)} between runs of ${worst.promptId} (above ${percent(HIGH_CV_THRESHOLD)})`,
        hint: "close other programs, use more --runs, or check for thermal throttling",
      });
    if (outliers.length > 0)
      warnings.push({
        code: "outlier",
        metric,
        message: `${label}: outlier run(s) by modified z-score > ${MODIFIED_Z_THRESHOLD}: ${outliers.join(", ")}`,
        hint: "something else used the machine during those runs: repeat the benchmark or use more --runs",
      });
  }
  return warnings;
}
