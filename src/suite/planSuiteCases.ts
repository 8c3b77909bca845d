import { type LoadGroup, planCases } from "../plan/planCases.ts";
import type { CaseSettings, RunConfig } from "../results/types.ts";

/**
 * planCases, with one rule of this engine: node-llama-cpp 3.21.1 sets n_ubatch = n_batch, so when the user gave
 * no --ubatch-size the micro-batch follows each batch size instead of forming a product that could not run.
 * An explicit --ubatch-size is kept as asked for the other engines; node-llama-cpp's cases get what it really runs,
 * ubatch = batch, once each (parseRunOptions refuses a --ubatch-size only node-llama-cpp would run, and notes it
 * beside llama-server: ubatchForEngines).
 */
export function planSuiteCases(
  modelCount: number,
  sweep: RunConfig["sweep"],
  ubatchFollowsBatch: boolean,
): LoadGroup[] {
  if (!ubatchFollowsBatch)
    return planCases(modelCount, sweep).map((group) =>
      group.load.engine === "node-llama-cpp" ? { ...group, cases: ubatchTiedToBatch(group.cases) } : group,
    );
  return planCases(modelCount, { ...sweep, ubatchSize: [0] }).map((group) => ({
    ...group,
    cases: ubatchTiedToBatch(group.cases),
  }));
}

/** Each case with ubatchSize = batchSize, duplicates dropped (order kept). */
function ubatchTiedToBatch(cases: CaseSettings[]): CaseSettings[] {
  const seen = new Set<string>();
  return cases
    .map((c) => ({ ...c, ubatchSize: c.batchSize }))
    .filter((c) => {
      const key = JSON.stringify(c);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}
