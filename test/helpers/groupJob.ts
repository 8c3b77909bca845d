import { STANDARD_PROMPTS } from "../../src/prompts/standardPrompts.ts";
import type { CaseSettings } from "../../src/results/types.ts";
import type { GroupJob } from "../../src/worker/protocol.ts";

/** One case of the defaults a plain `run` uses on one thread (n_batch = n_ubatch = 512, f16 KV, mmap, CPU only). */
export function groupCase(overrides: Partial<CaseSettings> = {}): CaseSettings {
  return {
    threads: 1,
    batchSize: 512,
    ubatchSize: 512,
    flashAttention: false,
    kvCacheType: "f16",
    mmap: true,
    gpuLayers: 0,
    cache: "unknown",
    engine: "node-llama-cpp",
    ...overrides,
  };
}

/**
 * A worker job for tests: one default case, 2 timed runs after 1 warm-up, 16 tokens, the standard prompts,
 * inference n_ctx 512 and no context-window stage unless `overrides` say otherwise.
 */
export function groupJob(file: string, overrides: Partial<GroupJob> = {}): GroupJob {
  return {
    file,
    mmap: true,
    gpuLayers: 0,
    cache: "unknown",
    cases: [groupCase()],
    runs: 2,
    autoRuns: null,
    warmupRuns: 1,
    maxTokens: 16,
    inferenceContextSize: 512,
    contexts: [],
    seed: 42,
    prompts: [...STANDARD_PROMPTS],
    trainingContextLength: 2048,
    allowBeyondTrainingContext: false,
    concurrency: [],
    requestsPerLevel: 0,
    ...overrides,
  };
}
