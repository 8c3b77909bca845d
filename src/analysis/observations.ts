import {
  formatDuration,
  formatGiB,
  formatGiBPerK,
  formatMiB,
  formatNumber,
  formatPercent,
} from "../report/formatValue.ts";
import type { InferenceMetric, ModelResult } from "../results/types.ts";
import { type MemoryFit, negativeSlopeWarning } from "./memoryFit.ts";
import type { RooflinePoint } from "./roofline.ts";
import type { TimeScaling } from "./timePerDoubling.ts";

/** A fit explains memory growth as linear when it leaves less than 2% of the variance unexplained. */
export const LINEAR_R2_THRESHOLD = 0.98;
/** Coefficient of variation above which a measurement is called noisy (hyperfine warns at similar spreads). */
export const HIGH_CV_THRESHOLD = 0.1;

const METRIC_NAMES: Record<InferenceMetric, string> = {
  totalMs: "total time",
  ttftMs: "time to first token",
  promptTokensPerSecond: "prompt tokens/s",
  generationTokensPerSecond: "generation tokens/s",
  outputTokens: "output tokens",
  peakRssBytes: "peak memory",
};

/** Key observations of one case, each produced by a rule from its numbers; no rule fires without its data. */
export function observations(
  model: ModelResult,
  fit: MemoryFit,
  scaling: TimeScaling | null,
  roofline: RooflinePoint[],
): string[] {
  const out: string[] = [];
  if (fit.kind === "fit") {
    const line = `slope ${formatGiBPerK(fit.slopeBytesPerToken)} over a base of ${formatGiB(fit.baseBytes)}, R² ${formatNumber(fit.r2, 4)}, ${fit.n} points`;
    if (fit.n === 2) out.push(`Memory fitted through only 2 context sizes (${line}): R² is 1 by construction.`);
    else if (fit.r2 >= LINEAR_R2_THRESHOLD) out.push(`Memory grows linearly with context: ${line}.`);
    else out.push(`Memory does not grow linearly with context: ${line} (below ${LINEAR_R2_THRESHOLD}).`);
    if (fit.predictedKvBytesPerToken !== null && fit.differencePercent !== null) {
      const side = fit.differencePercent >= 0 ? "above" : "below";
      out.push(
        `Fitted slope is ${formatNumber(Math.abs(fit.differencePercent), 1)}% ${side} the KV-cache slope predicted from metadata (${formatGiBPerK(fit.predictedKvBytesPerToken)}, ${model.settings.kvCacheType}).`,
      );
    }
    if (fit.predictedKvUnknownReason !== null) out.push(`KV-cache slope unknown: ${fit.predictedKvUnknownReason}.`);
    const negative = negativeSlopeWarning(fit);
    if (negative !== null) out.push(`Warning: ${negative}.`);
  } else {
    out.push(`No memory fit: ${fit.reason}.`);
  }
  if (scaling) {
    out.push(
      `Total time grows ×${formatNumber(scaling.factorPerDoubling, 2)} per context doubling (geometric mean over ${scaling.pairs} step(s)).`,
    );
  }
  const ok = model.contexts
    .flatMap((c) => (c.status === "ok" ? [c] : []))
    .sort((a, b) => a.contextSize - b.contextSize);
  const first = ok[0];
  const last = ok[ok.length - 1];
  // A speed not measured at either end (null: an empty span) gives no change to state.
  const from = first?.generationTokensPerSecond ?? null;
  const to = last?.generationTokensPerSecond ?? null;
  if (first && last && first !== last && from !== null && to !== null) {
    const change = to / from - 1;
    out.push(
      `Generation speed goes from ${formatNumber(from, 2)} tokens/s at ${formatNumber(first.contextSize)} tokens to ${formatNumber(to, 2)} tokens/s at ${formatNumber(last.contextSize)} (${change >= 0 ? "+" : "−"}${formatPercent(Math.abs(change))}).`,
    );
  }
  const load = model.load;
  if (load) {
    if (load.mmap && load.firstDecodeMs > load.durationMs) {
      out.push(
        `First decode took ${formatDuration(load.firstDecodeMs)} after a ${formatDuration(load.durationMs)} load: mmap defers page faults to first use.`,
      );
    }
    out.push(
      `After load the process held ${formatMiB(load.after.vmRssBytes)} resident: ${formatMiB(load.after.rssFileBytes)} file-backed, ${formatMiB(load.after.rssAnonBytes)} anonymous (mmap ${load.mmap ? "on" : "off"}).`,
    );
  }
  if (model.cleanup) {
    out.push(
      `Cleanup returned ${formatPercent(model.cleanup.releasedFraction)} of the memory taken by load and inference (${formatMiB(model.cleanup.releasedBytes)}).`,
    );
  }
  if (model.inference) {
    for (const [metric, summary] of Object.entries(model.inference.summaries) as [
      InferenceMetric,
      { cv: number; n: number },
    ][]) {
      if (metric === "outputTokens") continue;
      if (summary.n > 1 && summary.cv > HIGH_CV_THRESHOLD) {
        out.push(
          `CV ${formatPercent(summary.cv)} for ${METRIC_NAMES[metric]}: results noisy (threshold ${formatPercent(HIGH_CV_THRESHOLD, 0)}).`,
        );
      }
    }
  }
  const skipped = model.contexts.filter((c) => c.status === "skipped").length;
  const failed = model.contexts.filter((c) => c.status === "error").length;
  if (skipped > 0 || failed > 0) {
    out.push(`${ok.length} of ${model.contexts.length} context sizes ran OK; ${failed} failed, ${skipped} skipped.`);
  }
  const exceeded = roofline.filter((p) => p.exceeded);
  if (exceeded.length > 0) {
    out.push(`${exceeded.length} roofline point(s) exceed 100% of the bandwidth bound: a measurement error.`);
  }
  return out;
}
