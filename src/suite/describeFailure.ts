import { modelDisplayName } from "../analysis/modelDisplayName.ts";
import { caseStatus } from "../results/caseStatus.ts";
import type { ModelResult, RunResults, StageError } from "../results/types.ts";
import { printable } from "../text/printable.ts";
import type { TaskOutcome } from "./progress.ts";

/** One line for a stage error: "load load-failed: Failed to load model (llama.cpp: …)". */
export function describeError(error: StageError): string {
  return `${error.stage} ${error.code}: ${error.message}`;
}

/** Whether a stop (Ctrl-C) cut this case short (status "interrupted"): not a failure of the model, counted apart. */
export function cutByStop(model: ModelResult): boolean {
  return caseStatus(model) === "interrupted";
}

/**
 * How one load group's results end on the progress line: ↓ "interrupted" when a stop signal cut it short (what
 * it finished is kept), failed when every case failed, partial when any did not finish whole.
 */
export function groupOutcome(models: readonly ModelResult[]): TaskOutcome {
  const stopped = models.flatMap((m) => (cutByStop(m) ? m.errors.filter((e) => e.code === "interrupted") : []))[0];
  if (stopped)
    return { status: "skipped", summary: `${stopped.message}; the stages it finished are kept in the results` };
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

/**
 * The run's last line on stderr, e.g. "interrupted: 2 result(s), 0 failed, 1 cut short by the stop, 2 not run;
 * results in out/": failures exclude the cases a stop cut short, which are counted apart with the cases it left
 * unstarted.
 */
export function runSummaryLine(results: RunResults, outDir: string, qualityFailed: boolean): string {
  const failed = results.models.filter((m) => caseStatus(m) === "failed").length;
  const cut = results.models.filter(cutByStop).length;
  const notRun = results.notRun?.length ?? 0;
  return [
    `${results.interrupted ? "interrupted: " : ""}${results.models.length} result(s), ${failed} failed`,
    cut > 0 ? `, ${cut} cut short by the stop` : "",
    notRun > 0 ? `, ${notRun} not run` : "",
    qualityFailed ? ", quality not measured for some" : "",
    `; results in ${outDir}`,
  ].join("");
}
