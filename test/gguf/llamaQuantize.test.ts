import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { findBuiltTool } from "../../src/engines/enginePaths.ts";
import { fileTypeName } from "../../src/gguf/fileTypes.ts";
import { ggmlTypeInfo } from "../../src/gguf/ggmlTypes.ts";
import { readGgufFile } from "../../src/gguf/readGgufFile.ts";
import { type SynthArch, type SynthType, synthesizeModel } from "../../src/gguf/synthesize.ts";
import type { ShapeOverrides } from "../../src/gguf/synthShape.ts";
import { synthTypeSpec } from "../../src/gguf/synthTypes.ts";

// The strongest check of the synthesised mixes: llama.cpp's own quantizer, given the same shape in F32, must
// choose the same type for every tensor. Needs llama-quantize built from node-llama-cpp's bundled source.
const quantize = findBuiltTool("llama-quantize");

const dense16 = { embd: 256, heads: 4, kvHeads: 1, ff: 512, layers: 16 };
const cases: [SynthArch, ShapeOverrides, SynthType[]][] = [
  ["llama", dense16, ["q4_k_m", "q5_k_m", "q6_k", "q4_k_s", "q4_0", "q8_0", "q4_k"]],
  ["llama", { layers: 8 }, ["q4_k_m"]], // embd 64: the shape fallbacks
  ["qwen3moe", { layers: 8 }, ["q4_k_m", "q5_k_m", "q6_k"]],
  ["llama-moe", { ...dense16, layers: 8, experts: 8, expertsUsed: 2 }, ["q4_k_m", "q5_k_m", "q6_k"]],
  ["qwen3", { layers: 8 }, ["q4_k_m"]],
  ["gemma3", {}, ["q4_k_m", "q5_k_m"]],
  ["phi3", { layers: 8 }, ["q4_k_m"]],
  ["gpt-oss", {}, ["mxfp4_moe"]],
  ["deepseek2", {}, ["q4_k_m", "q6_k"]],
];

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "gguf-bench-llama-quantize-"));
});
after(() => rm(dir, { recursive: true, force: true }));

function run(binary: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(binary, args, { maxBuffer: 64 * 1024 * 1024 }, (error, _stdout, stderr) =>
      error ? reject(new Error(`${binary} ${args.join(" ")}: ${error.message}\n${stderr.slice(-2000)}`)) : resolve(),
    );
  });
}

async function tensorTypes(path: string): Promise<{ types: Map<string, string>; fileType: string | null }> {
  const header = await readGgufFile(path);
  const ft = header.metadata.get("general.file_type");
  return {
    types: new Map(header.tensors.map((t) => [t.name, ggmlTypeInfo(t.typeId)?.name ?? String(t.typeId)])),
    fileType: ft?.type === "u32" ? fileTypeName(ft.value) : null,
  };
}

for (const [arch, overrides, types] of cases) {
  test(`llama-quantize of an F32 ${arch} ${JSON.stringify(overrides)} gives the synthesised types: ${types.join(", ")}`, async (t) => {
    if (!quantize) return t.skip("llama-quantize is not built here (CI builds it); the rules test covers these cases");
    const label = `${arch}-${Object.values(overrides).join("-") || "tiny"}`;
    const source = join(dir, `${label}-f32.gguf`);
    await synthesizeModel({ arch, preset: "tiny", type: "f32", out: source, overrides });
    for (const type of types) {
      const spec = synthTypeSpec(type);
      const quantized = join(dir, `${label}-${type}-by-llama.gguf`);
      await run(quantize, [...(spec.pure ? ["--pure"] : []), source, quantized, spec.fileType, "1"]);
      const synthesised = join(dir, `${label}-${type}.gguf`);
      await synthesizeModel({ arch, preset: "tiny", type, out: synthesised, overrides });
      const byLlama = await tensorTypes(quantized);
      const ours = await tensorTypes(synthesised);
      assert.deepEqual(ours.types, byLlama.types, `${arch} ${type}`);
      assert.equal(ours.fileType, byLlama.fileType, `${arch} ${type} general.file_type`);
      await rm(quantized);
      await rm(synthesised);
    }
  });
}
