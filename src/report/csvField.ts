import { boundText, terminalText } from "../text/printable.ts";

/**
 * One CSV field per RFC 4180 (text cut to MAX_DISPLAY_CHARS, so one huge name cannot make a huge file): quoted when it holds a comma, quote, CR or LF, quotes doubled. Text that a
 * spreadsheet would run as a formula (starting with = + - @, or a tab / CR that some strip first) gets a
 * leading apostrophe (OWASP "CSV injection"); numbers are written as numbers and never altered.
 */
export function csvField(value: string | number | boolean | null): string {
  if (value === null) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "boolean") return value ? "true" : "false";
  // Newline and tab are kept (quoted, RFC 4180); every other control character is shown as \uXXXX.
  const bounded = terminalText(boundText(value));
  const safe = /^[=+\-@\t\r]/.test(bounded) ? `'${bounded}` : bounded;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvLine(fields: (string | number | boolean | null)[]): string {
  return fields.map(csvField).join(",");
}
