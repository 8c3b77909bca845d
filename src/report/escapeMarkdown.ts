import { escapeControls } from "../text/printable.ts";

/**
 * Makes any text (GGUF metadata is untrusted) literal in Markdown, whatever its length: control characters shown
 * as `\uXXXX` (no escape sequence reaches a terminal that prints the file), backslash-escapes the punctuation that
 * starts inline syntax, pipes that would split a table cell, and angle brackets and `&` that would become raw HTML
 * or entities; newlines and tabs become spaces so a value cannot open a new block or table row. It does not cut:
 * untrusted values are bounded where they enter a document, by boundStrings / boundText (src/text/printable.ts
 * owns the cap), so the sentences composed around them stay whole.
 */
export function escapeMarkdown(text: string): string {
  return escapeControls(text.replace(/[\r\n\t]+/g, " "))
    .replace(/[\\`*_[\]{}|~#!]/g, (ch) => `\\${ch}`)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
}
