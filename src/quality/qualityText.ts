import { readFileSync } from "node:fs";

/** The text as llama-perplexity reads `-f FILE`: the file's UTF-8 with one trailing newline dropped. */
export function readQualityText(file: string): string {
  const text = readFileSync(file, "utf8");
  return text.endsWith("\n") ? text.slice(0, -1) : text;
}
