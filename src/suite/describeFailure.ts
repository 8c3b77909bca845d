import { modelDisplayName } from "../analysis/modelDisplayName.ts";
import type { ModelResult, StageError } from "../results/types.ts";
import { printable } from "../text/printable.ts";
import type { TaskOutcome } from "./progress.ts";

/** One line for a stage error: "load load-failed: Failed to load model (llama.cpp: …)". */
export function describeError(error: StageError): string {
  return `${error.stage} ${error.code}: ${error.message}`;
}

/** How one load group's results end on the progress line: failed when every case failed, partial when any did not finish whole. */
export function groupOutcome(models: readonly ModelResult[]): TaskOutcome {
  const first = models.flatMap((m) => m.errors)[0];
  const summary = first ? describeError(first) : "a stage did not finish";
  if (models.length > 0 && models.every((m) => m.status === "failed")) return { status: "failed", summary };
  if (models.some((m) => m.status !== "ok")) return { status: "partial", summary };
  return { status: "ok" };
}

/**
 * The lines printed to stderr at the end of a run for a model that failed: what failed, llama.cpp's reason
 * (already in the message) and, when the cause is known, the hint, e.g.
 *   gguf-bench: bad.gguf failed — load load-failed: Failed to load model (llama.cpp: check_tensor_dims: …)
 *   gguf-bench:   hint: tensor 'blk.0.attn_k.weight' does not have the shape the metadata implies: …
 * Terminal control characters from file names or llama.cpp's text are replaced.
 */
export function failureLines(model: ModelResult): string[] {
  const error = model.errors[0];
  const lines = [
    `${modelDisplayName(model.label, model.synthetic)} failed — ${error ? describeError(error) : "no stage finished"}`,
  ];
  if (error?.hint) lines.push(`  hint: ${error.hint}`);
  return lines.map((line) => printable(line));
}
