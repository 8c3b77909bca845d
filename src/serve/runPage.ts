import { escapeHtml } from "../report/escapeHtml.ts";
import { renderHtml } from "../report/renderHtml.ts";
import type { RunResults } from "../results/types.ts";
import { boundText } from "../text/printable.ts";

/**
 * `/run/<id>`: the run's HTML report exactly as `gguf-bench report` writes it (its own CSP, charts and
 * sortable tables), with a way back to the runs list.
 */
export async function runPage(run: RunResults): Promise<string> {
  const html = await renderHtml([run]);
  const nav = `<nav><a href="/">← all runs</a> · <a href="/compare?b=${escapeHtml(encodeURIComponent(boundText(run.runId)))}">compare with…</a></nav>`;
  return html.replace("<main>", `<main>\n${nav}`);
}
