import { UsageError } from "../errors.ts";
import type { EngineName } from "../results/types.ts";

/**
 * What an explicit `--ubatch-size` means for the engines asked for. node-llama-cpp 3.21.1 has no micro-batch
 * option: its addon sets n_ubatch = n_batch whenever it sets n_batch (AddonContext.cpp: "the batch queue is managed
 * in the JS side"), so a case with a micro-batch apart from its batch size cannot run on it. llama-server takes
 * `--ubatch-size` as given; an openai endpoint's settings are its own (noted elsewhere).
 *
 * Returns null when every (batch, ubatch) pair of the sweep can run as asked, or node-llama-cpp is not asked for.
 * With llama-server beside node-llama-cpp: a note (recorded in config.notes and printed as a warning) that
 * node-llama-cpp's cases run with ubatch = batch, which planSuiteCases then plans and the results record.
 * Throws UsageError when node-llama-cpp is the only engine that could apply the micro-batch: nothing would run
 * as asked, so nothing is loaded.
 */
export function ubatchForEngines(
  engines: readonly EngineName[],
  batchSizes: readonly number[],
  ubatchSizes: readonly number[],
): string | null {
  if (!engines.includes("node-llama-cpp")) return null;
  const apart = ubatchSizes.some((ubatch) => batchSizes.some((batch) => batch !== ubatch));
  if (!apart) return null;
  const tied = "node-llama-cpp 3.21.1 sets n_ubatch = n_batch (it has no micro-batch option)";
  if (!engines.includes("llama-server")) {
    throw new UsageError(
      `--ubatch-size ${ubatchSizes.join(",")} with --batch-size ${batchSizes.join(",")}: ${tied}, so a micro-batch ` +
        "apart from the batch size cannot run; leave --ubatch-size out (it follows each batch size) or add --engine llama-server",
    );
  }
  return `--ubatch-size applies to llama-server only: ${tied}, so its cases ran with ubatch = batch`;
}
