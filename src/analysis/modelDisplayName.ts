const MARKER = "(synthetic)";

/**
 * A model's name as every output shows it: its label, marked "(synthetic)" once when gguf-bench synthesised it
 * (random weights). Labels of results.json files from before 2026-11-30 may carry the marker already
 * (what-if labels did), so it is never added twice.
 */
export function modelDisplayName(label: string, synthetic: boolean): string {
  return synthetic && !label.includes(MARKER) ? `${label} ${MARKER}` : label;
}
