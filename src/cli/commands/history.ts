import { Command } from "@commander-js/extra-typings";
import Table from "cli-table3";
import { resolveDbLocation } from "../../store/dbLocation.ts";
import { openExistingStore, type RunFilter, type RunSummaryRow } from "../../store/resultStore.ts";
import { printable } from "../../text/printable.ts";
import { DB_OPTION_HELP } from "../dbOption.ts";
import { writeOut } from "../output.ts";
import type { SetExitCode } from "../setExitCode.ts";

/** How much of a run id `history` shows; `show`, `compare` accept any unique prefix. */
const SHORT_ID_LENGTH = 8;
const MAX_MODELS_TEXT = 60;
/** Rows come from the database (imported runs included): a cell shows at most this much of any string. */
const MAX_CELL_CHARS = 80;

export function historyCommand(_setExitCode: SetExitCode) {
  return new Command("history")
    .description("List the runs kept in the history database, newest first.")
    .option(
      "--model <name>",
      "only runs that measured a model whose name contains this (or whose fingerprint starts so)",
    )
    .option(
      "--machine <name>",
      "only runs of this machine: its short name (see the Machine column), hostname or id prefix; `all` for every machine (the default)",
    )
    .option("--json", "print the runs as JSON")
    .option("--db <path-or-url>", DB_OPTION_HELP)
    .action(async (options) => {
      const db = resolveDbLocation(options.db);
      const filter: RunFilter = {};
      if (options.model !== undefined) filter.model = options.model;
      if (options.machine !== undefined && options.machine.toLowerCase() !== "all") filter.machine = options.machine;
      const store = await openExistingStore(db);
      let rows: RunSummaryRow[];
      try {
        rows = (await store?.listRuns(filter)) ?? [];
      } finally {
        await store?.close();
      }
      if (options.json) {
        writeOut(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      if (rows.length === 0) {
        const what = [
          options.model === undefined ? "No runs" : `No runs of a model matching "${options.model}"`,
          filter.machine === undefined ? "" : ` on machine "${filter.machine}"`,
        ].join("");
        writeOut(`${what} in ${db.display} yet.\n`);
        return;
      }
      writeOut(`${historyTable(rows)}\n`);
    });
}

function historyTable(rows: RunSummaryRow[]): string {
  // No colours: the table is read in terminals and pasted into issues alike.
  const table = new Table({
    head: ["Run", "Started (UTC)", "Machine", "Models", "Status"],
    style: { head: [], border: [] },
  });
  for (const row of rows) {
    table.push([
      printable(row.runId.slice(0, SHORT_ID_LENGTH)),
      printable(formatStarted(row.startedAt), MAX_CELL_CHARS),
      `${printable(row.machine, MAX_CELL_CHARS)}\n${printable(row.cpuModel, MAX_CELL_CHARS)}`,
      modelsText(row.models.map((model) => printable(model, MAX_CELL_CHARS))),
      printable(row.status, MAX_CELL_CHARS),
    ]);
  }
  return table.toString();
}

function formatStarted(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toISOString().slice(0, 16).replace("T", " ");
}

function modelsText(models: string[]): string {
  const all = models.join(", ");
  if (all.length <= MAX_MODELS_TEXT) return all || "(none finished)";
  let shown = 0;
  let text = "";
  for (const model of models) {
    const next = text === "" ? model : `${text}, ${model}`;
    if (next.length > MAX_MODELS_TEXT && shown > 0) break;
    text = next;
    shown++;
  }
  return shown < models.length ? `${text} (+${models.length - shown} more)` : text;
}
