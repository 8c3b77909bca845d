import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { encodeGgufHeader } from "../../src/gguf/encodeGgufHeader.ts";
import { ggmlTypeId } from "../../src/gguf/ggmlTypes.ts";
import { GgufError } from "../../src/gguf/ggufError.ts";
import type { GgufArray, GgufMetadata, GgufTensorInfo } from "../../src/gguf/ggufValue.ts";
import { readGgufFile } from "../../src/gguf/readGgufFile.ts";
import { readGgufHeader, tensorBytes } from "../../src/gguf/readGgufHeader.ts";
import { readModelInfo } from "../../src/gguf/readModelInfo.ts";
import { type TensorToWrite, writeGgufFile } from "../../src/gguf/writeGgufFile.ts";

let dir: string;
let base: Buffer;
let basePath: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "gguf-bench-malformed-"));
  basePath = join(dir, "base.gguf");
  await writeGgufFile(basePath, baseMetadata(), BASE_TENSORS, 32, (t) => [Buffer.alloc(tensorBytes(t), 1)]);
  base = await readFile(basePath);
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function baseMetadata(): GgufMetadata {
  return new Map([
    ["general.architecture", { type: "string", value: "llama" }],
    ["general.alignment", { type: "u32", value: 32 }],
    ["llama.block_count", { type: "u32", value: 1 }],
    ["flag.bool", { type: "bool", value: true }],
    ["x.one", { type: "u32", value: 1 }],
    ["x.two", { type: "u32", value: 2 }],
    ["tokenizer.ggml.tokens", { type: "array", itemType: "string", items: ["<unk>", "a", "b"] }],
    ["nested.arr", { type: "array", itemType: "array", items: [{ type: "array", itemType: "u32", items: [1, 2] }] }],
  ]);
}
// The last tensor is a whole number of alignment units, so the file ends exactly where its data ends.
const BASE_TENSORS: TensorToWrite[] = [
  { name: "token_embd.weight", dimensions: [32, 3], typeId: ggmlTypeId("Q8_0") },
  { name: "blk.0.attn_norm.weight", dimensions: [7], typeId: ggmlTypeId("F32") },
  { name: "output.weight", dimensions: [64, 2], typeId: ggmlTypeId("F16") },
];

const KNOWN_CODES = new Set([
  "not-gguf",
  "unsupported-version",
  "unsupported-tensor-type",
  "truncated",
  "limit-exceeded",
  "malformed",
  "io",
]);

/** Reads bytes as a file and returns the error code, or "ok". Any other exception fails the test. */
async function codeOf(bytes: Buffer, name = "case.gguf"): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  try {
    await readModelInfo(path);
    return "ok";
  } catch (error) {
    assert.ok(error instanceof GgufError, `not a GgufError: ${(error as Error)?.stack}`);
    assert.ok(KNOWN_CODES.has(error.code), error.code);
    assert.ok(error.message.startsWith(`${path}: `), error.message);
    assert.doesNotMatch(error.message, /\n/);
    return error.code;
  }
}

/** Where a string's length prefix starts (the u64 before its bytes). */
function lengthAt(bytes: Buffer, text: string): number {
  const at = bytes.indexOf(Buffer.from(text));
  assert.ok(at >= 8, `${text} not found`);
  return at - 8;
}
const afterString = (bytes: Buffer, text: string) => lengthAt(bytes, text) + 8 + Buffer.byteLength(text);
const patched = (fn: (b: Buffer) => void) => {
  const copy = Buffer.from(base);
  fn(copy);
  return copy;
};
const HUGE = 2n ** 62n;

test("the unmodified base file reads", async () => {
  assert.equal(await codeOf(base), "ok");
});

test("truncated at every byte: not-gguf below 4 bytes, truncated up to the end of the last tensor", async () => {
  const header = await readGgufFile(basePath);
  const last = header.tensors.at(-1);
  assert.ok(last);
  const dataEnd = header.dataOffset + last.offset + tensorBytes(last);
  assert.equal(dataEnd, base.length);
  const seen = new Map<string, number>();
  for (let cut = 0; cut < base.length; cut++) {
    const code = await codeOf(base.subarray(0, cut));
    assert.equal(code, cut < 4 ? "not-gguf" : "truncated", `cut at ${cut}`);
    seen.set(code, (seen.get(code) ?? 0) + 1);
  }
  assert.equal(seen.get("truncated"), base.length - 4);
});

test("bad magic is not-gguf; v1, v4 and big-endian are unsupported-version", async () => {
  assert.equal(await codeOf(patched((b) => b.write("GGUG", 0))), "not-gguf");
  assert.equal(await codeOf(Buffer.from("<html>not a model</html>")), "not-gguf");
  for (const version of [1, 4, 0x03000000]) {
    assert.equal(await codeOf(patched((b) => b.writeUInt32LE(version, 4))), "unsupported-version", `v${version}`);
  }
});

test("huge counts are limit-exceeded; counts that cannot fit the file are truncated", async () => {
  assert.equal(await codeOf(patched((b) => b.writeBigUInt64LE(HUGE, 8))), "limit-exceeded"); // tensors
  assert.equal(await codeOf(patched((b) => b.writeBigUInt64LE(HUGE, 16))), "limit-exceeded"); // keys
  assert.equal(await codeOf(patched((b) => b.writeBigUInt64LE(100_000n, 8))), "truncated");
  assert.equal(await codeOf(patched((b) => b.writeBigUInt64LE(60_000n, 16))), "truncated");
});

test("huge string and array lengths are limit-exceeded; lengths past the end are truncated", async () => {
  const key = lengthAt(base, "llama.block_count");
  assert.equal(await codeOf(patched((b) => b.writeBigUInt64LE(HUGE, key))), "limit-exceeded");
  assert.equal(await codeOf(patched((b) => b.writeBigUInt64LE(1_000_000n, key))), "truncated");
  const token = lengthAt(base, "<unk>");
  assert.equal(await codeOf(patched((b) => b.writeBigUInt64LE(HUGE, token))), "limit-exceeded");
  const arrayLength = afterString(base, "tokenizer.ggml.tokens") + 4 + 4; // after value type and item type
  assert.equal(await codeOf(patched((b) => b.writeBigUInt64LE(HUGE, arrayLength))), "limit-exceeded");
  assert.equal(await codeOf(patched((b) => b.writeBigUInt64LE(1_000_000n, arrayLength))), "truncated");
  const name = lengthAt(base, "output.weight");
  assert.equal(await codeOf(patched((b) => b.writeBigUInt64LE(300n, name))), "limit-exceeded");
});

test("unknown value types, bad booleans, duplicate keys and bad alignment are malformed", async () => {
  const type = afterString(base, "llama.block_count");
  for (const id of [13, 999, 0xffffffff]) {
    assert.equal(await codeOf(patched((b) => b.writeUInt32LE(id, type))), "malformed", `type ${id}`);
  }
  const itemType = afterString(base, "tokenizer.ggml.tokens") + 4;
  assert.equal(await codeOf(patched((b) => b.writeUInt32LE(77, itemType))), "malformed");
  const boolByte = afterString(base, "flag.bool") + 4;
  assert.equal(await codeOf(patched((b) => b.writeUInt8(2, boolByte))), "malformed");
  assert.equal(await codeOf(patched((b) => b.write("x.one", lengthAt(b, "x.two") + 8))), "malformed");
  const alignment = afterString(base, "general.alignment") + 4;
  for (const value of [0, 3, 48]) {
    assert.equal(await codeOf(patched((b) => b.writeUInt32LE(value, alignment))), "malformed", `alignment ${value}`);
  }
});

test("tensor rows: too many dims, overflowing shapes, unknown types, bad offsets", async () => {
  const nDims = afterString(base, "output.weight");
  assert.equal(await codeOf(patched((b) => b.writeUInt32LE(5, nDims))), "limit-exceeded");
  assert.equal(await codeOf(patched((b) => b.writeUInt32LE(0xffffffff, nDims))), "limit-exceeded");
  // dims [2^32, 2^32]: 2^64 elements
  const overflow = patched((b) => {
    b.writeBigUInt64LE(2n ** 32n, nDims + 4);
    b.writeBigUInt64LE(2n ** 32n, nDims + 12);
  });
  assert.equal(await codeOf(overflow), "limit-exceeded");
  const typeAt = nDims + 4 + 2 * 8;
  // A type this llama.cpp does not implement is not a broken file: it is unsupported, and the message names it.
  for (const id of [4, 33, 43, 99, 138]) {
    assert.equal(await codeOf(patched((b) => b.writeUInt32LE(id, typeAt))), "unsupported-tensor-type", `type ${id}`);
    await assert.rejects(readModelInfo(join(dir, "case.gguf")), (error: GgufError) => {
      assert.match(error.message, new RegExp(`tensor "output.weight": ggml type ${id}\\b`));
      return true;
    });
  }
  // F16 [64, 2] as Q4_K: a 64-wide row is not a multiple of the 256-value block
  assert.equal(await codeOf(patched((b) => b.writeUInt32LE(ggmlTypeId("Q4_K"), typeAt))), "malformed");
  // as Q8_0 it is smaller and fits: still ok
  assert.equal(await codeOf(patched((b) => b.writeUInt32LE(ggmlTypeId("Q8_0"), typeAt))), "ok");
  const offsetAt = typeAt + 4;
  for (const offset of [2n ** 40n, 2n ** 64n - 32n, 2n ** 53n]) {
    assert.equal(await codeOf(patched((b) => b.writeBigUInt64LE(offset, offsetAt))), "truncated", `offset ${offset}`);
  }
  assert.equal(await codeOf(patched((b) => b.writeBigUInt64LE(33n, offsetAt))), "malformed");
  const twice = encodeGgufHeader(
    new Map(),
    [0, 1].map(() => ({ name: "w", dimensions: [0], typeId: 0, offset: 0 })),
    {
      alignment: 32,
    },
  );
  assert.equal(await codeOf(twice), "malformed");
});

test("arrays nested deeper than the limit are limit-exceeded; within it they read", async () => {
  const nest = (depth: number): GgufArray =>
    depth === 0
      ? { type: "array", itemType: "u8", items: [1] }
      : { type: "array", itemType: "array", items: [nest(depth - 1)] };
  const file = (depth: number) =>
    encodeGgufHeader(new Map([["deep", nest(depth)]]), [] as GgufTensorInfo[], { alignment: 32 });
  assert.equal(await codeOf(file(7)), "ok");
  assert.equal(await codeOf(file(8)), "limit-exceeded");
  assert.equal(await codeOf(file(1000)), "limit-exceeded");
});

test("a directory, a missing path or a FIFO is an io error", async () => {
  await assert.rejects(readModelInfo(dir), (e: GgufError) => e.code === "io");
  const absent = join(dir, "absent.gguf");
  // The errno in words, as inspect says it for a path it cannot read.
  await assert.rejects(
    readModelInfo(absent),
    (e: GgufError) => e.code === "io" && e.message === `${absent}: cannot read (no such file or directory (ENOENT))`,
  );
  // A FIFO would block a reader that opened it; it must be refused, not waited on.
  const fifo = join(dir, "pipe.gguf");
  execFileSync("mkfifo", [fifo]);
  await assert.rejects(readModelInfo(fifo), (e: GgufError) => e.code === "io" && /not a regular file/.test(e.message));
});

/** Like codeOf, from memory instead of a file: same parser, thousands of cases without disk traffic. */
async function codeInMemory(bytes: Buffer): Promise<string> {
  const source = {
    read: async (buffer: Buffer, offset: number, length: number, position: number) => ({
      bytesRead: bytes.copy(buffer, offset, position, Math.min(bytes.length, position + length)),
    }),
  };
  try {
    await readGgufHeader(source, bytes.length, "fuzz.gguf");
    return "ok";
  } catch (error) {
    assert.ok(error instanceof GgufError, `not a GgufError: ${(error as Error)?.stack}`);
    assert.ok(KNOWN_CODES.has(error.code), error.code);
    assert.ok(error.message.startsWith("fuzz.gguf: "), error.message);
    assert.doesNotMatch(error.message, /\n/);
    return error.code;
  }
}

/** mulberry32 */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test("fuzz: 10000 seeded random mutations of the header each read or fail with a known code", {
  timeout: 120_000,
}, async () => {
  const header = await readGgufFile(basePath);
  const random = prng(20261126);
  const pick = (n: number) => Math.floor(random() * n);
  const interesting = [0n, 1n, 0xffn, 0xffffffffn, 2n ** 31n, 2n ** 53n, 2n ** 63n, 2n ** 64n - 1n];
  const counts = new Map<string, number>();
  let peakArrayBuffers = 0;
  for (let i = 0; i < 10_000; i++) {
    const bytes = Buffer.from(base);
    const kind = pick(4);
    const at = pick(header.dataOffset);
    if (kind === 0) {
      for (let n = 1 + pick(4); n > 0; n--) bytes[pick(header.dataOffset)] = pick(256);
    } else if (kind === 1 && at + 8 <= bytes.length) {
      bytes.writeBigUInt64LE(interesting[pick(interesting.length)] ?? 0n, at);
    } else if (kind === 2 && at + 4 <= bytes.length) {
      bytes.writeUInt32LE(pick(2 ** 32), at);
    } else {
      bytes[at] = (bytes[at] ?? 0) ^ (1 << pick(8));
    }
    const cut = random() < 0.1 ? pick(bytes.length) : bytes.length;
    const code = await codeInMemory(bytes.subarray(0, cut));
    counts.set(code, (counts.get(code) ?? 0) + 1);
    peakArrayBuffers = Math.max(peakArrayBuffers, process.memoryUsage().arrayBuffers);
  }
  // The mutations reach several different checks, not just one.
  assert.ok(counts.size >= 5, JSON.stringify([...counts]));
  // No mutation made the reader allocate anything near the (up to 2^64) sizes it was fed.
  assert.ok(peakArrayBuffers < 256 * 1024 * 1024, `arrayBuffers peaked at ${peakArrayBuffers}`);
});
