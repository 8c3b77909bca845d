import type { CacheState } from "../results/types.ts";

// STUB (contract) — implemented by the sweeps/cache owner.
export interface CachePrepared {
  /** The state actually reached ("unknown" when the platform would not allow it). */
  state: CacheState;
  /** How, e.g. "posix_fadvise(DONTNEED) via dd iflag=nocache"; or why it was not possible. */
  method: string;
}
/** Puts the file(s) in the asked page-cache state before a load. */
export async function preparePageCache(files: string[], want: CacheState): Promise<CachePrepared> {
  return { state: "unknown", method: `not controlled (${files.length} file(s), asked ${want})` };
}
