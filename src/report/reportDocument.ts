import type { TopLevelSpec } from "vega-lite";

/**
 * The report as format-neutral blocks: built once from the results and the analysis, then rendered to
 * Markdown and HTML, so both show the same sections, tables and numbers. Every string is plain text (possibly
 * from an untrusted GGUF file); each renderer escapes it for its own format.
 */
export type Block =
  | { kind: "heading"; level: 1 | 2 | 3 | 4; text: string }
  | ParagraphBlock
  | { kind: "list"; items: string[] }
  | TableBlock
  | ChartBlock
  | DetailsBlock;

/**
 * Plain text; `parts`, when given, is the same text split into runs of prose and code (a command to type), which
 * Markdown renders as a code span and HTML as <code>. `text` stays the whole plain text (what tests and search read).
 */
export interface ParagraphBlock {
  kind: "paragraph";
  text: string;
  parts?: InlinePart[];
}

export type InlinePart = { text: string } | { code: string };

/** A paragraph of prose and code runs, its `text` the plain concatenation. */
export function richParagraph(parts: InlinePart[]): ParagraphBlock {
  return { kind: "paragraph", text: parts.map((p) => ("code" in p ? p.code : p.text)).join(""), parts };
}

export interface TableBlock {
  kind: "table";
  /** Unique within the report (an HTML id). */
  id: string;
  columns: Column[];
  rows: Cell[][];
}

/**
 * A chart: a Vega-Lite spec with its data inline (plain JSON), drawn as SVG in the HTML report. `data` is the
 * same numbers as a table: Markdown shows it instead of the chart, HTML under the chart (collapsed). Without
 * `data` the numbers are in a table nearby and Markdown shows nothing.
 */
export interface ChartBlock {
  kind: "chart";
  /** Unique within the report (the HTML figure's data-chart). */
  id: string;
  title: string;
  /** null when there is nothing to draw: the renderers say "no data to chart". */
  spec: TopLevelSpec | null;
  data?: TableBlock;
}

/**
 * A group under a heading that HTML folds (`<details>`, closed) and Markdown prints as the heading and its
 * blocks: for long material a reader opens on demand, such as one model's details.
 */
export interface DetailsBlock {
  kind: "details";
  /** Unique within the report (an HTML id). */
  id: string;
  heading: { level: 2 | 3 | 4; text: string };
  /** One line beside the heading in HTML while folded (status, key figures); Markdown omits it (the blocks say it). */
  summary: string;
  blocks: Block[];
}

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
export const numberCell = (text: string, sort: number | null): Cell => (sort === null ? { text } : { text, sort });
export const emptyCell: Cell = { text: "—" };

/** A two-column table of labelled values (architecture, environment, settings). */
export function keyValueTable(id: string, rows: [string, string][]): TableBlock {
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
