import { type LoadGroup, planCases } from "../plan/planCases.ts";
import type { RunConfig } from "../results/types.ts";

/**
 * planCases, with one rule of this engine: node-llama-cpp 3.21.1 sets n_ubatch = n_batch, so when the user gave
 * no --ubatch-size the micro-batch follows each batch size instead of forming a product that could not run.
 * An explicit --ubatch-size is kept as asked (cases that cannot be applied are recorded as such by the worker).
 */
export function planSuiteCases(
  modelCount: number,
  sweep: RunConfig["sweep"],
  ubatchFollowsBatch: boolean,
): LoadGroup[] {
  if (!ubatchFollowsBatch) return planCases(modelCount, sweep);
  return planCases(modelCount, { ...sweep, ubatchSize: [0] }).map((group) => ({
    ...group,
    cases: group.cases.map((c) => ({ ...c, ubatchSize: c.batchSize })),
  }));
}
