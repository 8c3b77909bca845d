import { boundText, escapeControls } from "../text/printable.ts";

/**
 * Makes any text (GGUF metadata is untrusted) literal in Markdown: cut to MAX_DISPLAY_CHARS, control
 * characters shown as `\uXXXX` (no escape sequence reaches a terminal that prints the file), backslash-escapes
 * the punctuation that starts inline syntax, pipes that would split a table cell, and angle brackets and `&`
 * that would become raw HTML or entities; newlines and tabs become spaces so a value cannot open a new block
 * or table row.
 */
export function escapeMarkdown(text: string): string {
  return escapeControls(boundText(text).replace(/[\r\n\t]+/g, " "))
    .replace(/[\\`*_[\]{}|~#!]/g, (ch) => `\\${ch}`)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
}
