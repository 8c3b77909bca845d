import { GgufError } from "./ggufError.ts";
import { GGUF_LIMITS } from "./limits.ts";

/** Read window: the header is read in windows of this size, so at most this much past its end is ever read. */
const CHUNK_BYTES = 256 * 1024;

/** Positional reads: a fs FileHandle in production; anything with the same read() in tests. */
export interface ByteSource {
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
}

/**
 * Sequential little-endian reads from a file handle through a window buffer. Every read first checks the file
 * size (truncated) and the header budget (limit-exceeded), so nothing past the header is ever read.
 */
export class BoundedReader {
  position = 0;
  private buffer = Buffer.alloc(0);
  private bufferStart = 0;

  constructor(
    private readonly handle: ByteSource,
    readonly fileBytes: number,
    readonly file: string,
  ) {}

  get remaining(): number {
    return this.fileBytes - this.position;
  }

  /** Makes bytes [position, position + n) available; returns a promise only when it must read. */
  need(n: number, what: string): Promise<void> | undefined {
    const end = this.position + n;
    if (end > this.fileBytes) {
      throw new GgufError(
        "truncated",
        this.file,
        `file ends at byte ${this.fileBytes} inside ${what} (needs ${n} bytes at ${this.position})`,
      );
    }
    if (end > GGUF_LIMITS.maxHeaderBytes) {
      throw new GgufError(
        "limit-exceeded",
        this.file,
        `header is larger than ${GGUF_LIMITS.maxHeaderBytes} bytes (at ${what})`,
      );
    }
    if (this.position >= this.bufferStart && end <= this.bufferStart + this.buffer.length) return undefined;
    return this.fill(n);
  }

  private async fill(n: number): Promise<void> {
    const length = Math.min(Math.max(n, CHUNK_BYTES), this.fileBytes - this.position);
    const buffer = length <= this.buffer.length ? this.buffer : Buffer.allocUnsafe(length);
    let done = 0;
    try {
      while (done < length) {
        const { bytesRead } = await this.handle.read(buffer, done, length - done, this.position + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
    } catch (error) {
      throw new GgufError("io", this.file, `read failed: ${(error as Error).message}`, { cause: error });
    }
    if (done < n) throw new GgufError("truncated", this.file, `file shrank while reading at byte ${this.position}`);
    this.buffer = buffer.subarray(0, done);
    this.bufferStart = this.position;
  }

  private take(n: number): number {
    const at = this.position - this.bufferStart;
    this.position += n;
    return at;
  }

  u8(): number {
    return this.buffer.readUInt8(this.take(1));
  }
  i8(): number {
    return this.buffer.readInt8(this.take(1));
  }
  u16(): number {
    return this.buffer.readUInt16LE(this.take(2));
  }
  i16(): number {
    return this.buffer.readInt16LE(this.take(2));
  }
  u32(): number {
    return this.buffer.readUInt32LE(this.take(4));
  }
  i32(): number {
    return this.buffer.readInt32LE(this.take(4));
  }
  f32(): number {
    return this.buffer.readFloatLE(this.take(4));
  }
  f64(): number {
    return this.buffer.readDoubleLE(this.take(8));
  }
  u64(): bigint {
    return this.buffer.readBigUInt64LE(this.take(8));
  }
  i64(): bigint {
    return this.buffer.readBigInt64LE(this.take(8));
  }
  /** UTF-8 text of n bytes. Invalid sequences become U+FFFD as in llama.cpp's own printing: real vocabularies
   * sometimes hold them and the model still loads, so they are not an error. */
  text(n: number): string {
    const at = this.take(n);
    return this.buffer.toString("utf8", at, at + n);
  }
}
