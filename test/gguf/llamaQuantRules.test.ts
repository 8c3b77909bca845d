import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileTypeName } from "../../src/gguf/fileTypes.ts";
import { ggmlTypeInfo } from "../../src/gguf/ggmlTypes.ts";
import { readGgufFile } from "../../src/gguf/readGgufFile.ts";
import { type SynthArch, type SynthType, synthesizeModel, synthTypedTensors } from "../../src/gguf/synthesize.ts";
import type { ShapeOverrides } from "../../src/gguf/synthShape.ts";

// Expected types written out by hand from llama.cpp's src/llama-quant.cpp (node-llama-cpp 3.21.1's copy):
// use_more_bits(i, n) = i < n/8 || i >= 7n/8 || (i - n/8) % 3 == 2, which for 16 layers is {0,1,4,7,10,13,14,15}
// and for 8 layers {0,3,6,7}.
const MORE_BITS_16 = new Set([0, 1, 4, 7, 10, 13, 14, 15]);
const MORE_BITS_8 = new Set([0, 3, 6, 7]);

function types(arch: SynthArch, type: SynthType, overrides: ShapeOverrides): Map<string, string> {
  const { tensors } = synthTypedTensors(arch, "tiny", type, overrides);
  return new Map(tensors.map((t) => [t.name, ggmlTypeInfo(t.typeId)?.name ?? "?"]));
}

/** The expected type of every tensor: F32 norms, `role`'s answer, else the mix's base type. */
function expectDense(role: (name: string, layer: number) => string | undefined, base: string) {
  return (name: string): string => {
    if (name.endsWith("norm.weight")) return "F32";
    const layer = /^blk\.(\d+)\./.exec(name);
    return role(name, layer ? Number(layer[1]) : -1) ?? base;
  };
}

function assertTypes(actual: Map<string, string>, expected: (name: string) => string, label: string): void {
  assert.ok(actual.size > 10, label);
  for (const [name, type] of actual) assert.equal(type, expected(name), `${label}: ${name}`);
}

const dense16 = { embd: 256, heads: 4, kvHeads: 1, ff: 512, layers: 16 };

test("Q4_K_M / Q5_K_M on a 16-layer dense llama: attn_v and ffn_down get Q6_K on the use_more_bits layers, output Q6_K", () => {
  for (const [type, base] of [
    ["q4_k_m", "Q4_K"],
    ["q5_k_m", "Q5_K"],
  ] as const) {
    const expected = expectDense(
      (name, layer) =>
        name === "output.weight"
          ? "Q6_K"
          : /attn_v|ffn_down/.test(name) && MORE_BITS_16.has(layer)
            ? "Q6_K"
            : undefined,
      base,
    );
    assertTypes(types("llama", type, dense16), expected, type);
  }
});

test("Q6_K, Q8_0, Q4_0 and Q4_K_S on the same dense shape", () => {
  assertTypes(
    types("llama", "q6_k", dense16),
    expectDense(() => undefined, "Q6_K"),
    "q6_k",
  );
  assertTypes(
    types("llama", "q8_0", dense16),
    expectDense(() => undefined, "Q8_0"),
    "q8_0",
  );
  const q40 = expectDense((name) => (name === "output.weight" ? "Q6_K" : undefined), "Q4_0");
  assertTypes(types("llama", "q4_0", dense16), q40, "q4_0");
  // Q4_K_S: the first four attn_v and the first n/8 = 2 ffn_down take Q5_K.
  const q4ks = expectDense(
    (name, layer) =>
      name === "output.weight"
        ? "Q6_K"
        : (name.includes("attn_v") && layer < 4) || (name.includes("ffn_down") && layer < 2)
          ? "Q5_K"
          : undefined,
    "Q4_K",
  );
  assertTypes(types("llama", "q4_k_s", dense16), q4ks, "q4_k_s");
});

test("tied embeddings: token_embd is typed as the output (Q6_K in Q4_K_M); no output.weight is written", () => {
  const actual = types("qwen3", "q4_k_m", { layers: 8 });
  assert.equal(actual.has("output.weight"), false);
  assert.equal(actual.get("token_embd.weight"), "Q6_K");
  assert.equal(actual.get("blk.0.attn_v.weight"), "Q6_K");
  assert.equal(actual.get("blk.1.attn_v.weight"), "Q4_K");
  assert.equal(actual.get("blk.0.attn_q_norm.weight"), "F32");
});

test("MoE: ffn_down_exps by the layer in its name; 8 experts take Q8_0 attn_v/attn_k and Q5_K attn_output", () => {
  const qwen3moe = types("qwen3moe", "q4_k_m", { layers: 8 });
  for (let i = 0; i < 8; i++) {
    const more = MORE_BITS_8.has(i) ? "Q6_K" : "Q4_K";
    assert.equal(qwen3moe.get(`blk.${i}.ffn_down_exps.weight`), more, `qwen3moe ffn_down_exps ${i}`);
    assert.equal(qwen3moe.get(`blk.${i}.attn_v.weight`), more, `qwen3moe attn_v ${i}`);
    assert.equal(qwen3moe.get(`blk.${i}.ffn_gate_exps.weight`), "Q4_K");
    assert.equal(qwen3moe.get(`blk.${i}.ffn_gate_inp.weight`), "F32");
    assert.equal(qwen3moe.get(`blk.${i}.attn_k.weight`), "Q4_K");
  }
  const mixtral = types("llama-moe", "q4_k_m", { ...dense16, layers: 8, experts: 8, expertsUsed: 2 });
  for (let i = 0; i < 8; i++) {
    assert.equal(mixtral.get(`blk.${i}.attn_v.weight`), "Q8_0");
    assert.equal(mixtral.get(`blk.${i}.attn_k.weight`), "Q8_0");
    assert.equal(mixtral.get(`blk.${i}.attn_output.weight`), "Q5_K");
    assert.equal(mixtral.get(`blk.${i}.ffn_down_exps.weight`), MORE_BITS_8.has(i) ? "Q6_K" : "Q4_K");
  }
});

test("MXFP4_MOE: 3-D expert tensors MXFP4, every other quantizable tensor Q8_0", () => {
  const actual = types("gpt-oss", "mxfp4_moe", {});
  for (const [name, type] of actual) {
    const expected = /_exps\.weight$/.test(name)
      ? "MXFP4"
      : name.endsWith(".weight") && !name.includes("norm") && !name.includes("sinks") && !name.includes("gate_inp")
        ? "Q8_0"
        : "F32";
    assert.equal(type, expected, name);
  }
});

test("shape fallbacks: rows not a multiple of 256 take Q5_0 / Q8_0 (Q4_K / Q6_K), of 32 F16", () => {
  const actual = types("llama", "q4_k_m", { layers: 8 }); // embd 64, ff 128
  assert.equal(actual.get("blk.1.attn_q.weight"), "Q5_0");
  assert.equal(actual.get("blk.0.attn_v.weight"), "Q8_0"); // Q6_K -> Q8_0
  assert.equal(actual.get("output.weight"), "Q8_0"); // 64 % 256: the output rule itself picks Q8_0
  const odd = types("llama", "q4_k_m", { embd: 72, heads: 4, kvHeads: 2, layers: 8 });
  assert.equal(odd.get("blk.1.attn_q.weight"), "F16");
  assert.equal(odd.get("blk.1.ffn_down.weight"), "Q5_0"); // ff 128 rows
});

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "gguf-bench-quant-rules-"));
});
after(() => rm(dir, { recursive: true, force: true }));

test("the written file carries the planned type of every tensor and general.file_type of the mix", async () => {
  for (const [type, fileType] of [
    ["q4_k_m", "Q4_K_M"],
    ["q4_k", "Q4_K_S"],
    ["mxfp4_moe", "MXFP4_MOE"],
  ] as const) {
    const arch = type === "mxfp4_moe" ? "gpt-oss" : "qwen3moe";
    const out = join(dir, `${type}.gguf`);
    await synthesizeModel({ arch, preset: "tiny", type, out });
    const header = await readGgufFile(out);
    const planned = types(arch, type, {});
    assert.deepEqual(
      new Map(header.tensors.map((t) => [t.name, ggmlTypeInfo(t.typeId)?.name])),
      planned,
      `${arch} ${type}`,
    );
    const ft = header.metadata.get("general.file_type");
    assert.equal(ft?.type === "u32" ? fileTypeName(ft.value) : null, fileType);
  }
});
