import { escapeHtml } from "../report/escapeHtml.ts";
import type { ModelSummaryRow } from "../store/resultStore.ts";
import { boundStrings } from "../text/boundStrings.ts";
import { href, layout } from "./layout.ts";

/** `/models`: every model measured (by file fingerprint), most recently run first, each linking to its trend. */
export function modelsPage(stored: ModelSummaryRow[], limit: number, database: string): string {
  const models = boundStrings(stored);
  const rows = models.map(
    (m) => `<tr><td><a href="${href("/trend", { model: m.fileFingerprint })}">${escapeHtml(m.label)}</a></td>
<td><code>${escapeHtml(m.fileFingerprint.slice(0, 12))}</code></td><td class="num">${m.runs}</td><td class="num">${m.machines}</td>
<td>${escapeHtml(m.lastStartedAt.slice(0, 16).replace("T", " "))}</td></tr>`,
  );
  const body = [
    "<h1>Models</h1>",
    models.length === 0
      ? '<p class="note">No model in this history yet.</p>'
      : `<div class="table-wrap"><table id="models"><thead><tr><th>Model</th><th>Fingerprint</th><th class="num">Runs</th><th class="num">Machines</th><th>Last run (UTC)</th></tr></thead><tbody>
${rows.join("\n")}
</tbody></table></div>`,
    models.length === limit ? `<p class="note">The ${limit} most recently run models are shown.</p>` : "",
  ].join("\n");
  return layout("Models", body, database);
}
