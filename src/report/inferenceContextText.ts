import type { RunResults } from "../results/types.ts";
import { formatNumber } from "./formatValue.ts";

/**
 * The inference stage's context as it really ran: the size asked for (config.inferenceContextSize) unless a model's
 * was clamped to its training context (src/suite/runSuite.ts), in which case the sizes each model's inference stage
 * used (ModelResult.inference.contextSize). "2,048 tokens"; "1,024 tokens (2,048 asked, clamped to the training
 * context)"; "2,048 tokens, 1,024 for models trained on less (clamped to the training context)". Pure.
 */
export function inferenceContextText(run: RunResults): string {
  const asked = run.config.inferenceContextSize;
  const used = [...new Set(run.models.flatMap((m) => (m.inference ? [m.inference.contextSize] : [])))].sort(
    (a, b) => b - a,
  );
  const others = used.filter((n) => n !== asked);
  const list = (sizes: number[]) => sizes.map((n) => formatNumber(n)).join(", ");
  if (others.length === 0) return `${formatNumber(asked)} tokens`;
  if (others.length === used.length)
    return `${list(used)} tokens (${formatNumber(asked)} asked, clamped to the training context)`;
  return `${formatNumber(asked)} tokens, ${list(others)} for models trained on less (clamped to the training context)`;
}
