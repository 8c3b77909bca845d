/**
 * Makes untrusted text (model labels and names, host and CPU names, run ids from imported files) inert inline
 * Markdown, safe inside a table cell: no emphasis, code, links, images, raw HTML, table breaks or new lines.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\r\n\t]+/g, " ").replace(/[\\`*_[\]<>|~&#!]/g, (c) => MARKDOWN_ESCAPES[c] ?? `\\${c}`);
}

const MARKDOWN_ESCAPES: Record<string, string> = { "<": "&lt;", ">": "&gt;", "&": "&amp;" };
