import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { readGgufFileInfo } from "node-llama-cpp";
import { modelFingerprint } from "../../src/gguf/fingerprint.ts";
import { ggmlTypeInfo } from "../../src/gguf/ggmlTypes.ts";
import { readGgufFile } from "../../src/gguf/readGgufFile.ts";
import { readModelInfo } from "../../src/gguf/readModelInfo.ts";
import { type SynthArch, type SynthType, synthesizeModel } from "../../src/gguf/synthesize.ts";
import { needsRealModel } from "../helpers/tinyModel.ts";

const modelPath = (name: string) => fileURLToPath(new URL(`../../../shared/models/${name}`, import.meta.url));
const stories = modelPath("stories260K.gguf");
const tinyRandom = modelPath("llama-2-tiny-random.gguf");

test("stories260K: llama, embd 64, 5 layers, 8/4 heads, vocab 512, ctx 2048, F32, 292.8K params", async (t) => {
  if (!existsSync(stories)) return t.skip(needsRealModel(stories, "compares with the real file's known shape"));
  const info = await readModelInfo(stories);
  assert.equal(info.architecture, "llama");
  assert.equal(info.ggufVersion, 3);
  assert.equal(info.embeddingLength, 64);
  assert.equal(info.blockCount, 5);
  assert.equal(info.headCount, 8);
  assert.equal(info.headCountKv, 4);
  assert.equal(info.headDim, 8);
  assert.equal(info.vocabSize, 512);
  assert.equal(info.contextLength, 2048);
  assert.equal(info.parameterCount, 292_800);
  assert.equal(info.quantization, "F32");
  assert.deepEqual(info.tensorTypes, { F32: { count: 48, bytes: 292_800 * 4 } });
  assert.equal(info.moe, null);
  // 5 layers x 4 KV heads x (8 + 8) dims x 2 bytes
  assert.deepEqual(info.kvBytesPerToken, { f16: 640, q8_0: 340 });
  // A decode reads every weight but the token-embedding table (512 x 64 F32), of which it looks up one row:
  // the model has its own output.weight.
  assert.equal(info.activeWeightBytesPerToken, 292_800 * 4 - 512 * 64 * 4 + 64 * 4);
  assert.deepEqual(info.files, [stories]);
});

test("llama-2-tiny-random: embd 8, 1 layer, vocab 32000, ctx 4096, file type F16", async (t) => {
  if (!existsSync(tinyRandom)) return t.skip(needsRealModel(tinyRandom, "compares with the real file's known shape"));
  const info = await readModelInfo(tinyRandom);
  assert.equal(info.embeddingLength, 8);
  assert.equal(info.blockCount, 1);
  assert.equal(info.vocabSize, 32000);
  assert.equal(info.contextLength, 4096);
  assert.equal(info.fileType, 1);
  assert.equal(info.quantization, "F16");
  assert.equal(info.tensorTypes.F16?.count, 9);
  assert.equal(info.tensorTypes.F32?.count, 3);
});

// Files from llama.cpp's converter (real) and from the project's writer (always here), read by both readers.
for (const [label, source] of [
  ["stories260K", async () => stories],
  ["llama-2-tiny-random", async () => tinyRandom],
  ["synthesised llama q8_0", () => synth("llama", "q8_0")],
  ["synthesised qwen2 f16", () => synth("qwen2", "f16")],
  ["synthesised llama-moe q4_0", () => synth("llama-moe", "q4_0")],
] as const) {
  test(`${label}: every key, value and tensor agrees with node-llama-cpp's readGgufFileInfo`, async (t) => {
    const path = await source();
    if (!existsSync(path)) return t.skip(needsRealModel(path, "reads a file llama.cpp's converter wrote"));
    const ours = await readGgufFile(path);
    const theirs = await readGgufFileInfo(path, { logWarnings: false, spliceSplitFiles: false });
    assert.equal(ours.version, theirs.version);
    const flat = flatten(theirs.metadata as unknown as Record<string, unknown>);
    assert.deepEqual([...ours.metadata.keys()].sort(), Object.keys(flat).sort());
    for (const [key, value] of ours.metadata) {
      const mine = value.type === "array" ? value.items : value.value;
      assert.deepEqual(normalise(mine), normalise(flat[key]), key);
    }
    const tensors = theirs.tensorInfo ?? [];
    assert.equal(ours.tensors.length, tensors.length);
    let parameters = 0;
    ours.tensors.forEach((tensor, i) => {
      const other = tensors[i];
      assert.ok(other);
      assert.equal(tensor.name, other.name);
      assert.deepEqual(tensor.dimensions, other.dimensions.map(Number));
      assert.equal(tensor.typeId, other.ggmlType);
      assert.equal(tensor.offset, Number(other.offset));
      assert.ok(ggmlTypeInfo(tensor.typeId));
      parameters += other.dimensions.map(Number).reduce((a, b) => a * b, 1);
    });
    assert.equal((await readModelInfo(path)).parameterCount, parameters);
    assert.equal(ours.dataOffset, theirs.infoEndOffset);
  });
}

test("fingerprint: stable, 64 hex digits, differs between models", async () => {
  const first = await synth("llama", "f32");
  const a = await modelFingerprint(first);
  assert.match(a, /^[0-9a-f]{64}$/);
  assert.equal(await modelFingerprint(first), a);
  assert.notEqual(await modelFingerprint(await synth("qwen2", "f32")), a);
});

let dir: string | null = null;
after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});
/** A tiny model from the project's writer, one per arch and type. */
async function synth(arch: SynthArch, type: SynthType): Promise<string> {
  dir ??= await mkdtemp(join(tmpdir(), "gguf-bench-read-info-"));
  const out = join(dir, `${arch}-${type}.gguf`);
  if (!existsSync(out)) await synthesizeModel({ arch, preset: "tiny", type, out });
  return out;
}

/** node-llama-cpp nests keys by their dots; flatten back to GGUF's dotted keys. */
function flatten(object: Record<string, unknown>, prefix = ""): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) {
    const full = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === "object" && !Array.isArray(value))
      Object.assign(out, flatten(value as Record<string, unknown>, full));
    else out[full] = value;
  }
  return out;
}

function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalise);
  if (typeof value === "bigint") return Number(value);
  return value;
}
