import { boundText, escapeControls } from "../text/printable.ts";

/** htmlLiteral after cutting the text to MAX_DISPLAY_CHARS: for one untrusted value shown on its own. */
export function escapeHtml(text: string): string {
  return htmlLiteral(boundText(text));
}

/**
 * Text to HTML text or attribute value, whatever its length (the report bounds each untrusted value before
 * composing its sentences, src/text/boundStrings.ts): control characters shown as `\uXXXX`, then the five
 * characters that could end a text node or an attribute.
 */
export function htmlLiteral(text: string): string {
  return escapeControls(text)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}
