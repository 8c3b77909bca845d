import { GgufBenchError } from "../errors.ts";
import { readRegularFile } from "../files/readRegularFile.ts";
import type { RunResults } from "./types.ts";
import { oneLine, validateRunResults } from "./validateRunResults.ts";

/**
 * The largest results.json read. A run of 100 models × a 16-case sweep is a few MiB; JSON text this large is
 * not ours (and a huge or sparse file would otherwise be read into memory whole).
 */
export const MAX_RESULTS_FILE_BYTES = 256 * 1024 * 1024;

/**
 * Reads and validates a results.json (the RunResults schema, `gguf-bench/results.schema.json`). A bad file is a
 * one-line GgufBenchError naming the file and the first problem: `results-not-found`, `results-unreadable` (not
 * a regular file: a FIFO is refused, never waited on; too large; not UTF-8), `results-invalid`, `results-too-new`
 * (a newer schemaVersion than SCHEMA_VERSION). The file's own object is returned (not zod's copy), so fields
 * this build does not know survive.
 */
export async function loadResultsFile(path: string): Promise<RunResults> {
  let bytes: Buffer;
  try {
    bytes = await readRegularFile(path, MAX_RESULTS_FILE_BYTES);
  } catch (error) {
    if (!(error instanceof GgufBenchError)) throw error;
    throw new GgufBenchError(
      error.code === "file-not-found" ? "results-not-found" : "results-unreadable",
      error.message,
    );
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new GgufBenchError("results-invalid", `${path} is not a gguf-bench results file (not UTF-8 text)`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new GgufBenchError("results-invalid", `${path} is not valid JSON (${oneLine((error as Error).message)})`);
  }
  return validateRunResults(json, path);
}
