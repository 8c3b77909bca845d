/**
 * Where llama.cpp's log lines go instead of the worker's stdout/stderr (the worker never prints). The last
 * few lines are kept so a failure's one-line message can say what llama.cpp said about it, e.g.
 * "quantized V cache requires flash_attn to be enabled".
 */
export class LlamaLogSink {
  private readonly lines: { level: string; message: string }[] = [];
  private static readonly keptLines = 32;

  readonly write = (level: string, message: string): void => {
    const text = message.trim();
    if (text === "") return;
    this.lines.push({ level, message: text });
    if (this.lines.length > LlamaLogSink.keptLines) this.lines.shift();
  };

  /** Forget what was logged so far: call before an operation whose failure should be explained. */
  clear(): void {
    this.lines.length = 0;
  }

  /** The last error line logged since `clear`, if any. */
  lastError(): string | null {
    for (let i = this.lines.length - 1; i >= 0; i--) {
      const line = this.lines[i];
      if (line && (line.level === "error" || line.level === "fatal")) return line.message;
    }
    return null;
  }

  /** Warning or error lines since `clear` that match `pattern`. */
  matching(pattern: RegExp): string[] {
    return this.lines.filter((line) => pattern.test(line.message)).map((line) => line.message);
  }
}
