import type { CaseSettings, RunConfig } from "../results/types.ts";

/** The settings that need the model loaded again when they change; the rest apply to a context. */
export type LoadSettings = Pick<CaseSettings, "cache" | "mmap" | "gpuLayers" | "engine">;

/** One child process: one model loaded once with `load`, then every case measured on it in order. */
export interface LoadGroup {
  modelIndex: number;
  load: LoadSettings;
  cases: CaseSettings[];
}

/**
 * Expands models × the cartesian product of the swept settings into load groups, ordered so that the
 * model is loaded as rarely as possible (llama-bench's lesson): all context-level combinations of one load
 * share one process and one load. A server engine (llama-server, openai) takes every setting at start, so
 * each of its cases is a group of its own. Pure: `run --dry-run` prints exactly this.
 */
export function planCases(modelCount: number, sweep: RunConfig["sweep"]): LoadGroup[] {
  const groups: LoadGroup[] = [];
  for (let modelIndex = 0; modelIndex < modelCount; modelIndex++) {
    for (const engine of sweep.engine) {
      for (const cache of sweep.cache) {
        for (const mmap of sweep.mmap) {
          for (const gpuLayers of sweep.gpuLayers) {
            const load: LoadSettings = { cache, mmap, gpuLayers, engine };
            const cases: CaseSettings[] = [];
            for (const threads of sweep.threads)
              for (const batchSize of sweep.batchSize)
                for (const ubatchSize of sweep.ubatchSize)
                  for (const flashAttention of sweep.flashAttention)
                    for (const kvCacheType of sweep.kvCacheType)
                      cases.push({ ...load, threads, batchSize, ubatchSize, flashAttention, kvCacheType });
            if (engine === "node-llama-cpp") groups.push({ modelIndex, load, cases });
            else for (const c of cases) groups.push({ modelIndex, load, cases: [c] });
          }
        }
      }
    }
  }
  return groups;
}
