/**
 * The line of a process's stderr that most likely says why it failed (a native assert, a thrown error, a server's
 * "error: …"), or the last line; at most 300 characters. Null for empty text.
 */
export function lastMeaningfulLine(text: string): string | null {
  const lines = text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith("at "));
  const telling = lines.findLast((line) => /error|assert|abort|fail|cannot|couldn't|exception/i.test(line));
  const chosen = telling ?? lines.at(-1);
  return chosen === undefined ? null : chosen.slice(0, 300);
}
