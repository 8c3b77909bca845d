import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { getLlama, type Llama, LlamaLogLevel } from "node-llama-cpp";
import { ggmlTypeInfo } from "../../src/gguf/ggmlTypes.ts";
import type { GgufValue } from "../../src/gguf/ggufValue.ts";
import { readGgufFile } from "../../src/gguf/readGgufFile.ts";
import { type SynthArch, type SynthType, synthesizeModel } from "../../src/gguf/synthesize.ts";

// Every architecture the synthesiser writes, in a k-quant mix (and gpt-oss in its own MXFP4 mix), must load in
// the bundled llama.cpp with its tensor data checked, and generate. llama.cpp's own log lines show that it sees
// what the metadata says: the sliding-window layer pattern, MLA's K-only cache, the repacked weights.

let dir: string;
let llama: Llama;
const log: string[] = [];
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "gguf-bench-synth-archs-"));
  llama = await getLlama({
    gpu: false,
    build: "never",
    logLevel: LlamaLogLevel.info,
    logger: (_level, message) => {
      log.push(message);
    },
  });
});
after(async () => {
  await llama?.dispose();
  await rm(dir, { recursive: true, force: true });
});

/** Loads with tensor validation, makes a 1024-token context, generates 8 tokens; returns llama.cpp's log. */
async function loadAndGenerate(path: string, vocab: number): Promise<string> {
  log.length = 0;
  const model = await llama.loadModel({ modelPath: path, checkTensors: true });
  try {
    const context = await model.createContext({ contextSize: 1024, threads: 1 });
    const prompt = model.tokenize("Once upon a time, the model said hello to the world.");
    assert.ok(prompt.length > 5);
    const generated: number[] = [];
    for await (const token of context.getSequence().evaluate(prompt, { temperature: 0 })) {
      generated.push(token);
      if (generated.length >= 8) break;
    }
    assert.equal(generated.length, 8);
    for (const token of generated) assert.ok(token >= 0 && token < vocab);
    await context.dispose();
    return log.join("");
  } finally {
    await model.dispose();
  }
}

const value = (v: GgufValue | undefined) => (v && "value" in v ? v.value : undefined);

const cases: { arch: SynthArch; type: SynthType; keys: Record<string, unknown>; log: RegExp[] }[] = [
  { arch: "qwen3", type: "q4_k_m", keys: { "qwen3.attention.key_length": 64 }, log: [] },
  {
    arch: "qwen3moe",
    type: "q4_k_m",
    keys: { "qwen3moe.expert_count": 4, "qwen3moe.expert_feed_forward_length": 256 },
    log: [],
  },
  {
    arch: "gemma3",
    type: "q4_k_m",
    keys: { "gemma3.attention.sliding_window": 128, "gemma3.attention.key_length": 64 },
    // Pattern 6: layers 0-4 slide over a window-sized cache, layer 5 keeps the whole context.
    log: [
      /non-SWA KV cache, size = 1024 cells[\s\S]*1024 cells,\s+1 layers/,
      /SWA KV cache, size = \d+ cells[\s\S]*cells,\s+5 layers/,
    ],
  },
  { arch: "phi3", type: "q4_k_m", keys: { "phi3.attention.head_count_kv": 4 }, log: [] },
  {
    arch: "gpt-oss",
    type: "mxfp4_moe",
    keys: { "gpt-oss.attention.sliding_window": 64, "gpt-oss.expert_feed_forward_length": 256 },
    log: [/non-SWA KV cache[\s\S]*1 layers/, / SWA KV cache[\s\S]*1 layers/, /CPU_REPACK model buffer size/],
  },
  { arch: "gpt-oss", type: "q4_k_m", keys: {}, log: [] },
  {
    arch: "deepseek2",
    type: "q4_k_m",
    keys: {
      "deepseek2.attention.key_length_mla": 96,
      "deepseek2.attention.value_length_mla": 64,
      "deepseek2.attention.kv_lora_rank": 256,
      "deepseek2.attention.key_length": 288,
      "deepseek2.attention.value_length": 256,
      "deepseek2.attention.head_count_kv": 1,
    },
    // MLA caches only the compressed K: llama.cpp reports no V cache.
    log: [/V \(f16\):\s+0\.00 MiB/],
  },
  { arch: "llama", type: "q5_k_m", keys: {}, log: [] },
  { arch: "qwen2", type: "q6_k", keys: {}, log: [] },
  { arch: "llama-moe", type: "q4_k_s", keys: {}, log: [] },
];

for (const c of cases) {
  test(`${c.arch} tiny ${c.type}: metadata llama.cpp reads, loads with checked tensors, generates`, async () => {
    const out = join(dir, `${c.arch}-${c.type}.gguf`);
    await synthesizeModel({ arch: c.arch, preset: "tiny", type: c.type, out });
    const header = await readGgufFile(out);
    for (const [key, expected] of Object.entries(c.keys)) assert.equal(value(header.metadata.get(key)), expected, key);
    const typeNames = new Set(header.tensors.map((t) => ggmlTypeInfo(t.typeId)?.name));
    const expectedKernel =
      c.type === "mxfp4_moe" ? "MXFP4" : c.type === "q6_k" ? "Q6_K" : c.type.startsWith("q5") ? "Q5_K" : "Q4_K";
    if (c.arch !== "llama" && c.arch !== "qwen2" && c.arch !== "llama-moe") {
      assert.ok(typeNames.has(expectedKernel), `${[...typeNames]} lacks ${expectedKernel}`);
    }
    const text = await loadAndGenerate(out, 512);
    for (const pattern of c.log) assert.match(text, pattern);
  });
}
