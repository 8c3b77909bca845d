/**
 * Where llama.cpp's log lines go instead of the worker's stdout/stderr (the worker never prints). The last
 * few lines are kept so a failure's message can say what llama.cpp said about it, e.g. "check_tensor_dims:
 * tensor 'blk.0.attn_k.weight' has wrong shape".
 *
 * llama.cpp logs from its own thread; node-llama-cpp hands the lines to JavaScript through a thread-safe
 * queue, so they can arrive a few milliseconds AFTER the failed call's promise rejected (seen here: 0 of 4
 * lines at the rejection, all 4 about 8 ms later, in about a third of failed loads). `settle` waits for them.
 */
export class LlamaLogSink {
  private readonly lines: { level: string; message: string }[] = [];
  private static readonly keptLines = 64;

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

  /**
   * Waits for log lines still in flight after a failed call: until a line matching `until` has arrived (the
   * line llama.cpp writes last, e.g. "failed to load model"), or, without one, until no line came for
   * `quietMs`; never longer than `maxMs`. Only failure paths call it, so the wait costs nothing on success.
   */
  async settle(options: { until?: RegExp; quietMs?: number; maxMs?: number } = {}): Promise<void> {
    const { until, quietMs = 100, maxMs = 1000 } = options;
    const start = performance.now();
    let seen = this.lines.length;
    let quietSince = start;
    for (;;) {
      if (until && this.lines.some((line) => until.test(line.message))) break;
      const now = performance.now();
      if (now - start >= maxMs) break;
      if (!until && now - quietSince >= quietMs) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (this.lines.length !== seen) {
        seen = this.lines.length;
        quietSince = performance.now();
      }
    }
    // The end marker may be followed by lines queued with it.
    await new Promise((resolve) => setImmediate(resolve));
  }

  /** Error (and fatal) lines since `clear`, oldest first. */
  errors(): string[] {
    return this.lines.filter((line) => line.level === "error" || line.level === "fatal").map((line) => line.message);
  }

  /** The last error line logged since `clear`, if any. */
  lastError(): string | null {
    return this.errors().at(-1) ?? null;
  }

  /** Warning or error lines since `clear` that match `pattern`. */
  matching(pattern: RegExp): string[] {
    return this.lines.filter((line) => pattern.test(line.message)).map((line) => line.message);
  }
}
