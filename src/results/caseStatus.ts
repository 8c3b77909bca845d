import type { ModelResult } from "./types.ts";

/**
 * A case's status as readers should take it: "interrupted" when a stop (Ctrl-C or another stop signal) cut it
 * short, else the recorded status. Since 2026-12-01 results.json records "interrupted" itself; older files recorded
 * such a case as "partial" (something measured) or "failed" (nothing), with the stop's error (code "interrupted")
 * charged to it, and read as "interrupted" too.
 */
export function caseStatus(m: Pick<ModelResult, "status" | "errors">): ModelResult["status"] {
  return m.status === "interrupted" || m.errors.some((e) => e.code === "interrupted") ? "interrupted" : m.status;
}
