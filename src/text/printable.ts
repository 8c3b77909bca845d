/**
 * Text from outside (GGUF metadata, imported results files, database rows, file names, a child's stderr) made
 * safe to show: control characters become visible escapes, so no escape sequence reaches a terminal (ESC/CSI
 * colour and cursor codes, OSC title and hyperlink codes, a carriage return overwriting a line) or a report;
 * and long strings are cut, so one huge name cannot make huge output.
 */

/**
 * Longest string shown in one place (a table cell, a heading, a list item, a message). The longest text the
 * reports write themselves is a ~470-character methodology paragraph; a name longer than this is not a name.
 */
export const MAX_DISPLAY_CHARS = 1000;
/** Longest model label in a report's names (tables, charts, recommendations): readable at a glance. */
export const MAX_LABEL_CHARS = 200;

/**
 * C0 controls (ESC, CR, BEL, …), DEL, C1 controls (U+009B is a one-character CSI on some terminals), the line
 * and paragraph separators, and the bidirectional overrides and isolates that make text display in another
 * order than it is stored ("Trojan Source").
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: as above, keeping tab and newline
const CONTROL_BUT_LAYOUT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const visible = (ch: string) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`;

/** Every control character as a visible `\uXXXX`: a single line that cannot drive a terminal. */
export function escapeControls(text: string): string {
  return text.replace(CONTROL, visible);
}

/** Cut to `max` characters (never inside a surrogate pair), saying how much was left out. */
export function boundText(text: string, max: number = MAX_DISPLAY_CHARS): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return `${cut}… (${text.length - cut.length} more characters)`;
}

/** One untrusted string for one line of a terminal or a message: bounded, every control character escaped. */
export function printable(text: string, max: number = MAX_DISPLAY_CHARS): string {
  return escapeControls(boundText(text, max));
}

/**
 * Whole output for a terminal (a rendered report, a table, JSON): control characters escaped except newline
 * and tab, which are the output's own layout. Inside JSON strings `\uXXXX` is a valid escape of the same
 * character, so JSON stays valid and means the same.
 */
export function terminalText(text: string): string {
  return text.replace(CONTROL_BUT_LAYOUT, visible);
}
