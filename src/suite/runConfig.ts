import type { RunConfig } from "../results/types.ts";

/**
 * RunConfig plus what the run decided that the schema has no field for yet (e.g. the inference context clamped
 * to a model's training context, how the page cache was prepared). Written into results.json as extra fields.
 */
export interface RunConfigWithNotes extends RunConfig {
  notes: string[];
  /** No --ubatch-size given: each case's micro-batch equals its batch size (node-llama-cpp 3.21.1 ties them). */
  ubatchFollowsBatch: boolean;
}
