import type { z } from "zod";
import { GgufBenchError } from "../errors.ts";
import { runResultsSchema } from "./schema.ts";
import { type RunResults, SCHEMA_VERSION } from "./types.ts";

/**
 * Checks parsed JSON against the results schema. `where` names the source in the message (a file path, or
 * "run <id> in <database>"). The object given is returned (not zod's copy), so fields this build does not know
 * survive. Throws a one-line GgufBenchError: `results-invalid` or `results-too-new`.
 */
export function validateRunResults(json: unknown, where: string): RunResults {
  const version = (json as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof json !== "object" || json === null || Array.isArray(json) || typeof version !== "number") {
    throw new GgufBenchError("results-invalid", `${where} is not a gguf-bench results file (no schemaVersion)`);
  }
  if (version > SCHEMA_VERSION) {
    throw new GgufBenchError(
      "results-too-new",
      `${where} was made by a newer gguf-bench (results schema ${version}, this build reads up to ${SCHEMA_VERSION}); upgrade gguf-bench to read it`,
    );
  }
  const parsed = runResultsSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue ? formatPath(issue.path) : "";
    throw new GgufBenchError(
      "results-invalid",
      `${where} is not a valid gguf-bench results file: ${at ? `${at}: ` : ""}${oneLine(issue?.message ?? "invalid")}`,
    );
  }
  return json as RunResults;
}

/** models[0].load.durationMs */
function formatPath(path: z.core.$ZodIssue["path"]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out;
}

export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}
