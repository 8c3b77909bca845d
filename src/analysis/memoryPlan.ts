import { formatNumber } from "../report/formatValue.ts";
import type { ModelResult } from "../results/types.ts";
import { type MemoryFit, negativeSlopeWarning, noPlanReason, predictedMemoryBytes } from "./memoryFit.ts";
import { measuredSummary } from "./notMeasured.ts";

/**
 * Peak memory to plan for at a context size, and where the figure comes from:
 * - "measured": a peak read at `measuredAtTokens` (the inference stage's highest, or a context size's), equal to the
 *   planned size or, as an upper bound, the smallest larger one;
 * - "fit": base + slope × tokens over `points` context sizes spanning fromTokens–toTokens; `extrapolated` when the
 *   planned size lies outside that span;
 * - "none": no figure, `reason` says why.
 */
export type MemoryPlan =
  | { kind: "measured"; bytes: number; measuredAtTokens: number }
  | { kind: "fit"; bytes: number; points: number; fromTokens: number; toTokens: number; extrapolated: boolean }
  | { kind: "none"; reason: string };

/** Every peak memory reading of the case with the context size it was read at (bytes; none for an outside server). */
function measuredPeaks(model: ModelResult): { tokens: number; bytes: number }[] {
  const peaks = model.contexts.flatMap((x) =>
    x.status === "ok" && x.peakRssBytes !== null ? [{ tokens: x.contextSize, bytes: x.peakRssBytes }] : [],
  );
  const inference = measuredSummary(model.inference?.summaries.peakRssBytes);
  if (model.inference && inference) peaks.push({ tokens: model.inference.contextSize, bytes: inference.max });
  return peaks;
}

/**
 * The memory to plan for at `targetTokens`, in this order: a peak measured at exactly that size (the highest of its
 * readings); the fit when the size lies within the fitted span (interpolated); a peak measured at the smallest larger
 * size (memory grows with the context, so an upper bound); the fit beyond its span (extrapolated, said so); else
 * none, with the fit's reason. A negative fitted slope gives no figure at all (negativeSlopeWarning): its likely
 * cause, mmap'd pages evicted during the context stage, makes those peaks too low as well. Pure.
 */
export function memoryPlan(model: ModelResult, fit: MemoryFit, targetTokens: number): MemoryPlan {
  const negative = negativeSlopeWarning(fit);
  if (negative !== null) return { kind: "none", reason: negative };
  const peaks = measuredPeaks(model);
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

/** Where a plan's figure comes from, in words: "measured at 2,048 tokens", "extrapolated from 2 points over 512–1,024 tokens". */
export function memoryPlanSource(plan: MemoryPlan): string {
  if (plan.kind === "none") return `not known: ${plan.reason}`;
  if (plan.kind === "measured") return `measured at ${formatNumber(plan.measuredAtTokens)} tokens`;
  const span = `${plan.points} points over ${formatNumber(plan.fromTokens)}–${formatNumber(plan.toTokens)} tokens`;
  return plan.extrapolated ? `extrapolated from ${span}` : `fitted to ${span}`;
}
