import { escapeControls } from "../text/printable.ts";

/**
 * Text to HTML text or attribute value, whatever its length: control characters shown as `\uXXXX`, then the five
 * characters that could end a text node or an attribute. It does not cut: untrusted values are bounded where they
 * enter a page, by boundStrings / boundText (src/text/printable.ts owns the cap), so the sentences composed around
 * them stay whole.
 */
export function escapeHtml(text: string): string {
  return escapeControls(text)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}
