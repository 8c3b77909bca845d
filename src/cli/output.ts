import { MAX_DISPLAY_CHARS, printable, terminalText } from "../text/printable.ts";

/** A message line may list several names; longer than this it is not read anyway. */
const MAX_MESSAGE_CHARS = 4 * MAX_DISPLAY_CHARS;

/**
 * Everything the CLI prints goes through these two, so no string from a model file, a results file or the
 * database can send escape sequences to the terminal.
 */
export function writeOut(text: string): void {
  process.stdout.write(terminalText(text));
}

/** One `gguf-bench: …` line on stderr (a warning, an error, a note), always one line. */
export function writeErrLine(message: string): void {
  process.stderr.write(`gguf-bench: ${printable(message.replace(/\s*\n\s*/g, " "), MAX_MESSAGE_CHARS)}\n`);
}
