import assert from "node:assert/strict";
import { mkdtemp, open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { findBuiltTool } from "../../src/engines/enginePaths.ts";
import { ggmlTypeInfo } from "../../src/gguf/ggmlTypes.ts";
import { readGgufFile } from "../../src/gguf/readGgufFile.ts";
import { type GgufHeader, tensorBytes } from "../../src/gguf/readGgufHeader.ts";
import { synthesizeModel } from "../../src/gguf/synthesize.ts";
import { runCli } from "../gguf/runCli.ts";
import { tinyModel } from "../helpers/tinyModel.ts";

// stories260K's exact shape from the project's writer (F32, 5 layers, feed-forward 172 — not whole 32-blocks),
// named like it: quantizing needs its tensor shapes, not its trained weights, so a fresh clone runs these too.
let dir: string;
let stories: string;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "gguf-bench-quantize-"));
  stories = await tinyModel(dir, "stories260K.gguf", { layers: 5, ff: 172 });
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function typesByName(header: GgufHeader): Record<string, string> {
  return Object.fromEntries(header.tensors.map((t) => [t.name, ggmlTypeInfo(t.typeId)?.name ?? String(t.typeId)]));
}

async function tensorData(file: string, header: GgufHeader, name: string): Promise<Buffer> {
  const tensor = header.tensors.find((t) => t.name === name);
  assert.ok(tensor, `${file} has no tensor ${name}`);
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.alloc(tensorBytes(tensor));
    await handle.read(buffer, 0, buffer.length, header.dataOffset + tensor.offset);
    return buffer;
  } finally {
    await handle.close();
  }
}

test("quantize (gguf-bench's own) writes Q8_0 and Q4_0 copies of stories260K with llama-quantize's tensor types", async () => {
  const out = path.join(dir, "own");
  const run = await runCli(["quantize", stories, "--types", "q8_0,q4_0", "--out", out, "--quantizer", "gguf-bench"]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^q8_0: .*stories260K-Q8_0\.gguf \(.*, gguf-bench\)$/m);
  assert.match(run.stdout, /^q4_0: .*stories260K-Q4_0\.gguf \(.*, gguf-bench\)$/m);

  const q8 = await readGgufFile(path.join(out, "stories260K-Q8_0.gguf"));
  const t8 = typesByName(q8);
  assert.deepEqual(q8.metadata.get("general.file_type"), { type: "u32", value: 7 });
  assert.equal(t8["token_embd.weight"], "Q8_0");
  assert.equal(t8["blk.0.attn_q.weight"], "Q8_0");
  assert.equal(t8["blk.0.ffn_down.weight"], "F16"); // 172 columns: not whole 32-blocks, llama-quantize's F16 fallback
  assert.equal(t8["blk.0.attn_norm.weight"], "F32");
  assert.equal(t8["output.weight"], "Q8_0");

  const q4 = await readGgufFile(path.join(out, "stories260K-Q4_0.gguf"));
  const t4 = typesByName(q4);
  assert.deepEqual(q4.metadata.get("general.file_type"), { type: "u32", value: 2 });
  assert.equal(t4["token_embd.weight"], "Q4_0");
  assert.equal(t4["blk.4.ffn_up.weight"], "Q4_0");
  assert.equal(t4["blk.4.ffn_down.weight"], "F16");
  assert.equal(t4["output.weight"], "Q8_0"); // 64 columns: llama-quantize's Q8_0 for the output too
  assert.deepEqual(q4.metadata.get("tokenizer.ggml.model"), { type: "string", value: "llama" });
});

const llamaQuantize = findBuiltTool("llama-quantize");
test("gguf-bench's own Q8_0/Q4_0 tensors are byte-identical to llama-quantize's", {
  skip: llamaQuantize ? false : "llama-quantize is not built here (gguf-bench engine build)",
}, async () => {
  const own = path.join(dir, "same-own");
  const theirs = path.join(dir, "same-llama");
  for (const [folder, quantizer] of [
    [own, "gguf-bench"],
    [theirs, "llama-quantize"],
  ] as const) {
    const run = await runCli(["quantize", stories, "--types", "q8_0,q4_0", "--out", folder, "--quantizer", quantizer]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`, ${quantizer}\\)`));
  }
  for (const name of ["stories260K-Q8_0.gguf", "stories260K-Q4_0.gguf"]) {
    const a = await readGgufFile(path.join(own, name));
    const b = await readGgufFile(path.join(theirs, name));
    assert.deepEqual(typesByName(a), typesByName(b), name);
    for (const tensor of a.tensors) {
      const mine = await tensorData(path.join(own, name), a, tensor.name);
      const reference = await tensorData(path.join(theirs, name), b, tensor.name);
      assert.ok(mine.equals(reference), `${name}: tensor ${tensor.name} differs from llama-quantize's`);
    }
  }
});

test("quantize refuses what it cannot do with a one-line error", async () => {
  const q8 = path.join(dir, "synthetic-q8.gguf");
  await synthesizeModel({ arch: "llama", preset: "tiny", type: "q8_0", out: q8 });
  const requantize = await runCli(["quantize", q8, "--types", "q4_0", "--out", dir, "--quantizer", "gguf-bench"]);
  assert.equal(requantize.code, 1);
  assert.match(requantize.stderr, /^gguf-bench: .*is Q8_0; gguf-bench quantizes from F32, F16 or BF16 weights only\n$/);

  const unknown = await runCli(["quantize", q8, "--types", "q9_9", "--out", dir]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /^gguf-bench: --types: unknown type q9_9/);

  const kQuant = await runCli(["quantize", q8, "--types", "q4_k_m", "--out", dir, "--quantizer", "gguf-bench"]);
  assert.equal(kQuant.code, 2);
  assert.match(kQuant.stderr, /q4_k_m needs llama\.cpp's llama-quantize/);
});
