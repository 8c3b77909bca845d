import { GgufBenchError } from "../errors.ts";

/** Stable codes: JSON output and tests rely on them. */
export type GgufErrorCode =
  | "not-gguf"
  | "unsupported-version"
  | "unsupported-tensor-type"
  | "truncated"
  | "limit-exceeded"
  | "malformed"
  | "io";

/** A GGUF file that cannot be read. The message is one line and names the file. */
export class GgufError extends GgufBenchError {
  declare readonly code: GgufErrorCode;
  readonly file: string;
  constructor(code: GgufErrorCode, file: string, what: string, options?: { cause?: unknown }) {
    super(code, `${file}: ${what}`, options);
    this.name = "GgufError";
    this.file = file;
  }
}

/** Untrusted text from a file (keys, tensor names) as it goes into a one-line message: quoted, escaped, short. */
export function quoted(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}
