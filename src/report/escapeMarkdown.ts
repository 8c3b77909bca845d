import { boundText, escapeControls } from "../text/printable.ts";

/** escapeMarkdown after cutting the text to MAX_DISPLAY_CHARS: for one untrusted value shown on its own. */
export function escapeMarkdown(text: string): string {
  return markdownLiteral(boundText(text));
}

/**
 * Makes any text (GGUF metadata is untrusted) literal in Markdown, whatever its length (the report bounds each
 * untrusted value before composing its sentences, src/text/boundStrings.ts): control
 * characters shown as `\uXXXX` (no escape sequence reaches a terminal that prints the file), backslash-escapes
 * the punctuation that starts inline syntax, pipes that would split a table cell, and angle brackets and `&`
 * that would become raw HTML or entities; newlines and tabs become spaces so a value cannot open a new block
 * or table row.
 */
export function markdownLiteral(text: string): string {
  return escapeControls(text.replace(/[\r\n\t]+/g, " "))
    .replace(/[\\`*_[\]{}|~#!]/g, (ch) => `\\${ch}`)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
}
