import { escapeHtml } from "../report/escapeHtml.ts";
import type { MachineRow, ResultStore, RunFilter, RunSummaryRow } from "../store/resultStore.ts";
import { boundStrings } from "../text/boundStrings.ts";
import { href, layout } from "./layout.ts";

/** The runs list shows the newest this many (filters narrow it). */
export const RUNS_SHOWN = 500;
/** A filter value longer than this is not a name anyone typed. */
const MAX_FILTER_CHARS = 200;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** `/`: the runs, newest first, filtered by model, machine and date; pick two to compare. */
export async function runsPage(store: ResultStore | null, query: URLSearchParams, database: string): Promise<string> {
  const model = text(query.get("model"));
  const machine = text(query.get("machine"));
  const from = date(query.get("from"));
  const to = date(query.get("to"));
  const filter: RunFilter = { limit: RUNS_SHOWN };
  if (model) filter.model = model;
  if (machine && machine !== "all") filter.machine = machine;
  if (from) filter.from = `${from}T00:00:00.000Z`;
  if (to) filter.to = nextDay(to);
  const [runs, machines] = boundStrings(
    store ? await Promise.all([store.listRuns(filter), store.listMachines()]) : [[], []],
  );
  const body = [
    "<h1>Runs</h1>",
    filtersForm(model, machine, from, to, machines),
    runs.length === 0
      ? `<p class="note">${store ? "No run matches." : "No runs in this history yet."}</p>`
      : runsTable(runs),
    runs.length === RUNS_SHOWN
      ? `<p class="note">The newest ${RUNS_SHOWN} runs are shown: narrow the filters.</p>`
      : "",
  ].join("\n");
  return layout("Runs", body, database);
}

function filtersForm(model: string, machine: string, from: string, to: string, machines: MachineRow[]): string {
  const options = [`<option value="all">all machines</option>`]
    .concat(
      machines.map(
        (m) =>
          `<option value="${escapeHtml(m.name)}"${m.name === machine ? " selected" : ""}>${escapeHtml(m.name)} (${escapeHtml(m.cpuModel)}, ${m.runs} run(s))</option>`,
      ),
    )
    .join("");
  return `<form class="filters" method="get" action="/">
<label>Model <input name="model" value="${escapeHtml(model)}" placeholder="name or fingerprint"></label>
<label>Machine <select name="machine">${options}</select></label>
<label>From <input type="date" name="from" value="${escapeHtml(from)}"></label>
<label>To <input type="date" name="to" value="${escapeHtml(to)}"></label>
<button type="submit">Filter</button>
</form>`;
}

function runsTable(runs: RunSummaryRow[]): string {
  const rows = runs.map((run) => {
    const id = escapeHtml(run.runId);
    return `<tr>
<td><input type="radio" name="a" value="${id}" aria-label="baseline A"></td>
<td><input type="radio" name="b" value="${id}" aria-label="candidate B"></td>
<td><a href="${href(`/run/${encodeURIComponent(run.runId)}`)}">${escapeHtml(run.runId.slice(0, 8))}</a></td>
<td>${escapeHtml(run.startedAt.slice(0, 16).replace("T", " "))}</td>
<td>${escapeHtml(run.machine)}<br><span class="note">${escapeHtml(run.cpuModel)}</span></td>
<td>${run.models.map((m) => escapeHtml(m)).join("<br>") || '<span class="note">(none finished)</span>'}</td>
<td>${escapeHtml(run.status)}</td>
</tr>`;
  });
  return `<form method="get" action="/compare">
<div class="table-wrap"><table id="runs"><thead><tr><th>A</th><th>B</th><th>Run</th><th>Started (UTC)</th><th>Machine</th><th>Models</th><th>Status</th></tr></thead>
<tbody>
${rows.join("\n")}
</tbody></table></div>
<button type="submit">Compare A → B</button> <span class="note">Pick a baseline A and a run B.</span>
</form>`;
}

function text(value: string | null): string {
  return (value ?? "").trim().slice(0, MAX_FILTER_CHARS);
}

function date(value: string | null): string {
  const v = (value ?? "").trim();
  return DATE.test(v) && !Number.isNaN(Date.parse(v)) ? v : "";
}

function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString();
}
