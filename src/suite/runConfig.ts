import type { RunConfig } from "../results/types.ts";

/** Kept as a name for the suite's config; notes and ubatchFollowsBatch are part of RunConfig now. */
export type RunConfigWithNotes = RunConfig;
