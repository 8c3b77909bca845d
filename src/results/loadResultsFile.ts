import { GgufBenchError } from "../errors.ts";
import type { RunResults } from "./types.ts";

// STUB (contract) — implemented by the store owner with the zod schema (src/results/schema.ts):
// reads and validates a results.json; a bad file is a GgufBenchError naming the file and the first problem.
export async function loadResultsFile(path: string): Promise<RunResults> {
  throw new GgufBenchError("not-implemented", `cannot read ${path}: results loader not built yet`);
}
