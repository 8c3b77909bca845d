/**
 * The report as format-neutral blocks: built once from the results and the analysis, then rendered to
 * Markdown and HTML, so both show the same sections, tables and numbers. Every string is plain text (possibly
 * from an untrusted GGUF file); each renderer escapes it for its own format.
 */
export type Block =
  | { kind: "heading"; level: 1 | 2 | 3 | 4; text: string }
  | { kind: "paragraph"; text: string }
  | { kind: "list"; items: string[] }
  | { kind: "table"; id: string; columns: Column[]; rows: Cell[][] }
  | { kind: "chart"; chartId: ChartId; title: string };

export type ChartId = "memory-vs-context" | "generation-vs-context" | "load-time" | "inference-time";

export interface Column {
  label: string;
  /** Numbers align right and sort numerically in HTML. */
  numeric: boolean;
}

export interface Cell {
  text: string;
  /** The raw value to sort by, when the text is a formatted number. */
  sort?: number;
}

export const textCell = (text: string): Cell => ({ text });
export const numberCell = (text: string, sort: number): Cell => ({ text, sort });
export const emptyCell: Cell = { text: "—" };

/** A two-column table of labelled values (architecture, environment, settings). */
export function keyValueTable(id: string, rows: [string, string][]): Block {
  return {
    kind: "table",
    id,
    columns: [
      { label: "Item", numeric: false },
      { label: "Value", numeric: false },
    ],
    rows: rows.map(([key, value]) => [textCell(key), textCell(value)]),
  };
}
