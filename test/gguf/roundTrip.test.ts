import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { readGgufFileInfo } from "node-llama-cpp";
import { encodeGgufHeader } from "../../src/gguf/encodeGgufHeader.ts";
import { ggmlTypeId } from "../../src/gguf/ggmlTypes.ts";
import type { GgufMetadata, GgufTensorInfo } from "../../src/gguf/ggufValue.ts";
import { readGgufFile } from "../../src/gguf/readGgufFile.ts";
import { tensorBytes } from "../../src/gguf/readGgufHeader.ts";
import { readModelInfo } from "../../src/gguf/readModelInfo.ts";
import { synthesizeModel } from "../../src/gguf/synthesize.ts";
import { type TensorToWrite, writeGgufFile } from "../../src/gguf/writeGgufFile.ts";

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "gguf-bench-roundtrip-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const zeros = (tensor: GgufTensorInfo) => [Buffer.alloc(tensorBytes(tensor))];

/** One value of every GGUF type, nested arrays, extreme integers and non-ASCII text. */
function everyType(): GgufMetadata {
  return new Map([
    ["general.architecture", { type: "string", value: "llama" }],
    ["general.alignment", { type: "u32", value: 64 }],
    ["t.u8", { type: "u8", value: 255 }],
    ["t.i8", { type: "i8", value: -128 }],
    ["t.u16", { type: "u16", value: 65535 }],
    ["t.i16", { type: "i16", value: -32768 }],
    ["t.u32", { type: "u32", value: 4294967295 }],
    ["t.i32", { type: "i32", value: -2147483648 }],
    ["t.f32", { type: "f32", value: 0.5 }],
    ["t.f64", { type: "f64", value: Math.PI }],
    ["t.u64", { type: "u64", value: 18446744073709551615n }],
    ["t.i64", { type: "i64", value: -9223372036854775808n }],
    ["t.bool", { type: "bool", value: true }],
    ["t.string", { type: "string", value: "héllo ▁wörld 🙂 <script>" }],
    ["t.empty", { type: "string", value: "" }],
    ["t.strings", { type: "array", itemType: "string", items: ["a", "", "ü"] }],
    ["t.u64s", { type: "array", itemType: "u64", items: [0n, 2n ** 63n] }],
    ["t.bools", { type: "array", itemType: "bool", items: [true, false] }],
    ["t.emptyArray", { type: "array", itemType: "f32", items: [] }],
    [
      "t.nested",
      {
        type: "array",
        itemType: "array",
        items: [
          { type: "array", itemType: "i32", items: [1, -2] },
          { type: "array", itemType: "array", items: [{ type: "array", itemType: "string", items: ["deep"] }] },
        ],
      },
    ],
  ]);
}

const TENSORS: TensorToWrite[] = [
  { name: "a", dimensions: [64, 3], typeId: ggmlTypeId("Q4_0") },
  { name: "b", dimensions: [5], typeId: ggmlTypeId("F32") },
  { name: "c", dimensions: [256, 2, 1, 2], typeId: ggmlTypeId("Q6_K") },
  { name: "d", dimensions: [7, 3], typeId: ggmlTypeId("F16") },
];

test("every value type, nested arrays and tensor layouts round-trip exactly through writer and reader", async () => {
  const path = join(dir, "every.gguf");
  const metadata = everyType();
  const bytes = await writeGgufFile(path, metadata, TENSORS, 64, zeros);
  const header = await readGgufFile(path);
  assert.equal(header.version, 3);
  assert.equal(header.alignment, 64);
  assert.equal(header.fileBytes, bytes);
  assert.deepEqual(header.metadata, metadata);
  assert.deepEqual(
    header.tensors.map(({ name, dimensions, typeId }) => ({ name, dimensions, typeId })),
    TENSORS,
  );
  for (const tensor of header.tensors) assert.equal(tensor.offset % 64, 0);
  // Writing back what was read gives the same header bytes.
  const file = await readFile(path);
  const again = encodeGgufHeader(header.metadata, header.tensors, { alignment: header.alignment });
  assert.ok(again.equals(file.subarray(0, header.dataOffset)));
});

test("a synthesised model's header re-encodes to the identical bytes", async () => {
  const { path } = await synthesizeModel({ arch: "qwen2", preset: "tiny", type: "q8_0", out: join(dir, "q.gguf") });
  const header = await readGgufFile(path);
  const file = await readFile(path);
  const again = encodeGgufHeader(header.metadata, header.tensors, { alignment: header.alignment });
  assert.equal(again.length, header.dataOffset);
  assert.ok(again.equals(file.subarray(0, header.dataOffset)));
  assert.equal(header.dataOffset % 32, 0);
});

test("GGUF v2 files are read like v3", async () => {
  const path = join(dir, "v2.gguf");
  await writeGgufFile(path, everyType(), TENSORS, 64, zeros);
  const file = await readFile(path);
  file.writeUInt32LE(2, 4);
  const { writeFile } = await import("node:fs/promises");
  await writeFile(path, file);
  const header = await readGgufFile(path);
  assert.equal(header.version, 2);
  assert.deepEqual(header.metadata, everyType());
});

test("split models: any part reads as one model; a missing part is an io error", async () => {
  const part = (i: number) => join(dir, `split-0000${i}-of-00002.gguf`);
  const meta = (i: number): GgufMetadata =>
    new Map([
      ...(i === 0 ? ([["general.architecture", { type: "string", value: "llama" }]] as const) : []),
      ["split.no", { type: "u16", value: i }],
      ["split.count", { type: "u16", value: 2 }],
      ["split.tensors.count", { type: "i32", value: 4 }],
    ]);
  await writeGgufFile(part(1), meta(0), TENSORS.slice(0, 2), 32, zeros);
  await writeGgufFile(part(2), meta(1), TENSORS.slice(2), 32, zeros);
  const info = await readModelInfo(part(2));
  assert.deepEqual(info.files, [part(1), part(2)]);
  assert.equal(info.file, part(1));
  assert.equal(info.parameterCount, 64 * 3 + 5 + 256 * 4 + 21);
  assert.equal(info.architecture, "llama");
  const sizes = await Promise.all([part(1), part(2)].map(async (p) => (await readFile(p)).length));
  assert.equal(info.fileBytes, (sizes[0] ?? 0) + (sizes[1] ?? 0));
  // node-llama-cpp splices the same parts into the same tensor list.
  const theirs = await readGgufFileInfo(part(1), { logWarnings: false });
  assert.equal(theirs.splicedParts, 2);
  assert.deepEqual(
    (theirs.fullTensorInfo ?? []).map((t) => [t.name, t.dimensions.map(Number), t.ggmlType]),
    TENSORS.map((t) => [t.name, t.dimensions, t.typeId]),
  );
  await rm(part(2));
  await assert.rejects(readModelInfo(part(1)), (error: Error & { code?: string }) => {
    return error.code === "io" && error.message.includes("split part 2 of 2 is missing");
  });
});
