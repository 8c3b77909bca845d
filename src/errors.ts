/**
 * The one error class every module throws for an expected failure. `code` is stable (tests and JSON output
 * rely on it); `message` is one line that names the input and says what to do. The CLI prints
 * `gguf-bench: <message>` and exits 1; anything that is not a GgufBenchError is a bug.
 */
export class GgufBenchError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "GgufBenchError";
    this.code = code;
  }
}

/** A wrong command-line value: the CLI exits 2. */
export class UsageError extends GgufBenchError {
  constructor(message: string) {
    super("usage", message);
    this.name = "UsageError";
  }
}
