/**
 * Makes any text (GGUF metadata is untrusted) literal in Markdown: backslash-escapes the punctuation that
 * starts inline syntax, pipes that would split a table cell, and angle brackets and `&` that would become raw
 * HTML or entities; newlines become spaces so a value cannot open a new block or table row.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\r\n\t]+/g, " ")
    .replace(/[\\`*_[\]{}|~#!]/g, (ch) => `\\${ch}`)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
}
