import type { ModelResult, RunResults } from "../results/types.ts";
import type { ResultStore } from "../store/resultStore.ts";

/** How many past runs of the model to open: the newest few are enough to find a measured case. */
const MAX_RUNS_OPENED = 20;

/** Past measurements of the model with this fingerprint, newest run first, with the run they belong to. */
export async function measuredCases(
  store: ResultStore,
  fingerprint: string,
): Promise<{ run: RunResults; model: ModelResult }[]> {
  const found: { run: RunResults; model: ModelResult }[] = [];
  const rows = (await store.listRuns({ model: fingerprint }))
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt))
    .slice(0, MAX_RUNS_OPENED);
  for (const row of rows) {
    const run = await store.getRun(row.runId);
    for (const model of run?.models ?? []) {
      if (run && model.fileFingerprint === fingerprint) found.push({ run, model });
    }
  }
  return found;
}
