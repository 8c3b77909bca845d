import { boundText, escapeControls } from "../text/printable.ts";

/**
 * Text to HTML text or attribute value: cut to MAX_DISPLAY_CHARS, control characters shown as `\uXXXX`,
 * then the five characters that could end a text node or an attribute.
 */
export function escapeHtml(text: string): string {
  return escapeControls(boundText(text))
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}
