import { readFileSync } from "node:fs";
import type { RunResults } from "../../src/results/types.ts";

/** The two hand-written runs (JSON.parse directly: the report tests do not depend on the validating loader). */
export function fixtureRuns(): RunResults[] {
  return ["run-a.json", "run-b.json"].map(
    (name) => JSON.parse(readFileSync(new URL(`../fixtures/results/${name}`, import.meta.url), "utf8")) as RunResults,
  );
}

/** The text of a Markdown section: from its heading line to the next heading of the same or a higher level. */
export function markdownSection(markdown: string, heading: string): string {
  const lines = markdown.split("\n");
  const start = lines.findIndex((line) => /^#+ /.test(line) && line.replace(/^#+ /, "") === heading);
  if (start < 0) throw new Error(`no section '${heading}'`);
  const level = (lines[start] as string).indexOf(" ");
  let end = start + 1;
  while (end < lines.length) {
    const match = /^(#+) /.exec(lines[end] as string);
    if (match && (match[1] as string).length <= level) break;
    end++;
  }
  return lines.slice(start, end).join("\n");
}
