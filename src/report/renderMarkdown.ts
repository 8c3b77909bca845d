import type { RunResults } from "../results/types.ts";

// STUB (contract) — implemented by the report owner: the whole Markdown report (pure).
export function renderMarkdown(runs: RunResults[]): string {
  return `# gguf-bench report\n\n(${runs.length} run(s); renderer not built yet)\n`;
}
