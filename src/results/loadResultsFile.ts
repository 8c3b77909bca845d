import { readFile } from "node:fs/promises";
import type { z } from "zod";
import { GgufBenchError } from "../errors.ts";
import { runResultsSchema } from "./schema.ts";
import { type RunResults, SCHEMA_VERSION } from "./types.ts";

/**
 * Reads and validates a results.json (the RunResults schema, `gguf-bench/results.schema.json`). A bad file is a
 * one-line GgufBenchError naming the file and the first problem — codes results-not-found, results-unreadable,
 * results-invalid, results-too-new (a newer schemaVersion than SCHEMA_VERSION). The file's own object is
 * returned (not zod's copy), so fields this build does not know survive.
 */
export async function loadResultsFile(path: string): Promise<RunResults> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new GgufBenchError("results-not-found", `cannot read ${path}: no such file`);
    if (code === "EISDIR") throw new GgufBenchError("results-unreadable", `cannot read ${path}: it is a directory`);
    throw new GgufBenchError("results-unreadable", `cannot read ${path}: ${oneLine(String(error))}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new GgufBenchError("results-invalid", `${path} is not valid JSON (${oneLine((error as Error).message)})`);
  }
  const version = (json as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof json !== "object" || json === null || Array.isArray(json) || typeof version !== "number") {
    throw new GgufBenchError("results-invalid", `${path} is not a gguf-bench results file (no schemaVersion)`);
  }
  if (version > SCHEMA_VERSION) {
    throw new GgufBenchError(
      "results-too-new",
      `${path} was made by a newer gguf-bench (results schema ${version}, this build reads up to ${SCHEMA_VERSION}); upgrade gguf-bench to read it`,
    );
  }
  const parsed = runResultsSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? formatPath(issue.path) : "";
    throw new GgufBenchError(
      "results-invalid",
      `${path} is not a valid gguf-bench results file: ${where ? `${where}: ` : ""}${oneLine(issue?.message ?? "invalid")}`,
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

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}
