import type { RunComparison } from "./runComparison.ts";

/** `compare --format json`: the comparison as it is, for scripts and CI (stable field names, raw units). */
export function renderComparisonJson(comparison: RunComparison): string {
  return `${JSON.stringify(comparison, null, 2)}\n`;
}
