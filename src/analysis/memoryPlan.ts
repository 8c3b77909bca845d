import { formatNumber } from "../report/formatValue.ts";
import type { ModelResult } from "../results/types.ts";
import { type MemoryFit, negativeSlopeWarning, noPlanReason, predictedMemoryBytes } from "./memoryFit.ts";
import { measuredSummary } from "./notMeasured.ts";

/**
 * Peak memory to plan for at a context size, and where the figure comes from:
 * - "measured": the context stage's peak at `measuredAtTokens` (that context filled with prompt tokens), equal to the
 *   planned size or, as an upper bound, the smallest larger one;
 * - "fit": base + slope × tokens over `points` context sizes spanning fromTokens–toTokens; `extrapolated` when the
 *   planned size lies outside that span;
 * - "floor": a peak read at `measuredAtTokens` ≤ the planned size (in `stage`) above every other figure: memory does
 *   not shrink as the context grows, so the plan is at least that;
 * - "none": no figure, `reason` says why.
 */
export type MemoryPlan =
  | { kind: "measured"; bytes: number; measuredAtTokens: number }
  | { kind: "fit"; bytes: number; points: number; fromTokens: number; toTokens: number; extrapolated: boolean }
  | { kind: "floor"; bytes: number; measuredAtTokens: number; stage: "contexts" | "inference" }
  | { kind: "none"; reason: string };

interface Peak {
  tokens: number;
  bytes: number;
  stage: "contexts" | "inference";
}

/**
 * Every peak memory reading of the case with the context size it was read at (bytes; none for an outside server):
 * the context stage's (the context filled) and the inference stage's highest (short prompts: the context allocated,
 * not filled, so it stands for its size only as a lower bound).
 */
function measuredPeaks(model: ModelResult): Peak[] {
  const peaks = model.contexts.flatMap((x): Peak[] =>
    x.status === "ok" && x.peakRssBytes !== null
      ? [{ tokens: x.contextSize, bytes: x.peakRssBytes, stage: "contexts" }]
      : [],
  );
  const inference = measuredSummary(model.inference?.summaries.peakRssBytes);
  if (model.inference && inference)
    peaks.push({ tokens: model.inference.contextSize, bytes: inference.max, stage: "inference" });
  return peaks;
}

/**
 * The memory to plan for at `targetTokens`: first the best estimate, in this order: the context stage's peak at
 * exactly that size (the highest of its readings); the fit when the size lies within the fitted span (interpolated);
 * the context stage's peak at the smallest larger size (memory grows with the context, so an upper bound); the fit
 * beyond its span (extrapolated, said so); else none, with the fit's reason. Then, when any peak read at that size or
 * a smaller one (either stage) is higher, that peak instead ("floor"): a plan is never below what was measured with
 * less context. A negative fitted slope gives no figure at all (negativeSlopeWarning): its likely cause, mmap'd pages
 * evicted during the context stage, makes those peaks too low as well. Pure.
 */
export function memoryPlan(model: ModelResult, fit: MemoryFit, targetTokens: number): MemoryPlan {
  const negative = negativeSlopeWarning(fit);
  if (negative !== null) return { kind: "none", reason: negative };
  const peaks = measuredPeaks(model);
  const estimate = bestEstimate(
    peaks.filter((p) => p.stage === "contexts"),
    fit,
    targetTokens,
  );
  if (estimate.kind === "none") return estimate;
  const floor = peaks
    .filter((p) => p.tokens <= targetTokens)
    .reduce<Peak | null>((high, p) => (high === null || p.bytes > high.bytes ? p : high), null);
  return floor !== null && floor.bytes > estimate.bytes
    ? { kind: "floor", bytes: floor.bytes, measuredAtTokens: floor.tokens, stage: floor.stage }
    : estimate;
}

function bestEstimate(peaks: Peak[], fit: MemoryFit, targetTokens: number): MemoryPlan {
  const at = (tokens: number) => Math.max(...peaks.filter((p) => p.tokens === tokens).map((p) => p.bytes));
  if (peaks.some((p) => p.tokens === targetTokens))
    return { kind: "measured", bytes: at(targetTokens), measuredAtTokens: targetTokens };
  const fitted = predictedMemoryBytes(fit, targetTokens);
  const fitPlan =
    fit.kind === "fit" && fitted !== null
      ? {
          kind: "fit" as const,
          bytes: fitted,
          points: fit.n,
          fromTokens: fit.fromContextTokens,
          toTokens: fit.toContextTokens,
        }
      : null;
  if (fitPlan && targetTokens >= fitPlan.fromTokens && targetTokens <= fitPlan.toTokens)
    return { ...fitPlan, extrapolated: false };
  const larger = peaks.filter((p) => p.tokens > targetTokens).map((p) => p.tokens);
  if (larger.length > 0) {
    const tokens = Math.min(...larger);
    return { kind: "measured", bytes: at(tokens), measuredAtTokens: tokens };
  }
  if (fitPlan) return { ...fitPlan, extrapolated: true };
  return { kind: "none", reason: noPlanReason(fit) ?? "no memory was measured" };
}

/**
 * Where a plan's figure comes from, in words: "measured at 2,048 tokens", "extrapolated from 2 points over 512–1,024
 * tokens", "at least the peak measured at 512 tokens (context stage)".
 */
export function memoryPlanSource(plan: MemoryPlan): string {
  if (plan.kind === "none") return `not known: ${plan.reason}`;
  if (plan.kind === "measured") return `measured at ${formatNumber(plan.measuredAtTokens)} tokens`;
  if (plan.kind === "floor")
    return `at least the peak measured at ${formatNumber(plan.measuredAtTokens)} tokens (${plan.stage === "contexts" ? "context" : "inference"} stage)`;
  const span = `${plan.points} points over ${formatNumber(plan.fromTokens)}–${formatNumber(plan.toTokens)} tokens`;
  return plan.extrapolated ? `extrapolated from ${span}` : `fitted to ${span}`;
}
