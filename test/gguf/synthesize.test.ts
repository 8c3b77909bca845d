import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { getLlama, type Llama, LlamaLogLevel } from "node-llama-cpp";
import { readModelInfo } from "../../src/gguf/readModelInfo.ts";
import { type SynthOptions, synthesizeModel } from "../../src/gguf/synthesize.ts";

let dir: string;
let llama: Llama;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "gguf-bench-synth-"));
  llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
});
after(async () => {
  await llama?.dispose();
  await rm(dir, { recursive: true, force: true });
});

/** Loads the file in llama.cpp, tokenizes text and generates 8 tokens greedily. */
async function generate(path: string): Promise<{ promptTokens: number; generated: number[] }> {
  const model = await llama.loadModel({ modelPath: path });
  try {
    const context = await model.createContext({ contextSize: 256, threads: 1 });
    const sequence = context.getSequence();
    const prompt = model.tokenize("Once upon a time, the model said hello to the world.");
    const generated: number[] = [];
    for await (const token of sequence.evaluate(prompt)) {
      generated.push(token);
      if (generated.length >= 8) break;
    }
    await context.dispose();
    return { promptTokens: prompt.length, generated };
  } finally {
    await model.dispose();
  }
}

const cases: (Omit<SynthOptions, "out"> & { expect: Record<string, unknown> })[] = [
  { arch: "llama", preset: "tiny", type: "q8_0", expect: { architecture: "llama", quantization: "Q8_0", moe: null } },
  { arch: "qwen2", preset: "tiny", type: "f16", expect: { architecture: "qwen2", quantization: "F16", moe: null } },
  {
    arch: "llama-moe",
    preset: "tiny",
    type: "q4_0",
    expect: { architecture: "llama", quantization: "Q4_0" },
  },
  {
    arch: "llama",
    preset: "tiny",
    type: "f32",
    overrides: { embd: 96, layers: 3, heads: 6, kvHeads: 3, ff: 160, vocab: 700, ctx: 512, seed: 7 },
    expect: { architecture: "llama", quantization: "F32", moe: null },
  },
];

for (const c of cases) {
  const label = `${c.arch} ${c.preset} ${c.type}${c.overrides ? " with overrides" : ""}`;
  test(`synthesised ${label}: inspected fields equal the request, and it loads and generates in llama.cpp`, async () => {
    const out = join(dir, `${c.arch}-${c.type}-${c.overrides ? "custom" : c.preset}.gguf`);
    const result = await synthesizeModel({ ...c, out });
    assert.equal(result.path, out);
    assert.equal(result.bytes, (await stat(out)).size);
    const info = await readModelInfo(out);
    for (const [key, value] of Object.entries(c.expect)) assert.deepEqual(info[key as keyof typeof info], value, key);
    const o = c.overrides;
    const embd = o?.embd ?? 64;
    const heads = o?.heads ?? 4;
    assert.equal(info.embeddingLength, embd);
    assert.equal(info.blockCount, o?.layers ?? 2);
    assert.equal(info.headCount, heads);
    assert.equal(info.headCountKv, o?.kvHeads ?? 2);
    assert.equal(info.headDim, embd / heads);
    assert.equal(info.feedForwardLength, o?.ff ?? 128);
    assert.equal(info.vocabSize, o?.vocab ?? 512);
    assert.equal(info.contextLength, o?.ctx ?? 1024);
    assert.equal(info.parameterCount, result.parameterCount);
    assert.equal(info.fileBytes, result.bytes);
    assert.match(info.name ?? "", /synthetic/);
    if (c.arch === "llama-moe") {
      assert.deepEqual(info.moe, {
        expertCount: 4,
        expertUsedCount: 2,
        fractionActive: 0.5,
        // everything but the three expert tensors per layer, plus half of them
        activeParameterCount: info.parameterCount - 0.5 * 2 * 3 * 64 * 128 * 4,
      });
    }
    const { promptTokens, generated } = await generate(out);
    assert.ok(promptTokens > 5, `prompt tokenized into ${promptTokens} tokens`);
    assert.equal(generated.length, 8);
    for (const token of generated) assert.ok(token >= 0 && token < (o?.vocab ?? 512));
  });
}

test("same seed gives the same bytes; another seed gives other weights but the same header shape", async () => {
  const a = await synthesizeModel({ arch: "llama", preset: "tiny", type: "q4_0", out: join(dir, "a.gguf") });
  const b = await synthesizeModel({ arch: "llama", preset: "tiny", type: "q4_0", out: join(dir, "b.gguf") });
  const c = await synthesizeModel({
    arch: "llama",
    preset: "tiny",
    type: "q4_0",
    out: join(dir, "c.gguf"),
    overrides: { seed: 2 },
  });
  const { readFile } = await import("node:fs/promises");
  const [bytesA, bytesB, bytesC] = await Promise.all([a, b, c].map((r) => readFile(r.path)));
  assert.ok(bytesA && bytesB && bytesC);
  assert.ok(bytesA.equals(bytesB));
  assert.equal(bytesA.length, bytesC.length);
  assert.ok(!bytesA.equals(bytesC));
});

test("refuses to write when the disk lacks room, and leaves no file behind", async () => {
  const out = join(dir, "huge.gguf");
  await assert.rejects(
    synthesizeModel({ arch: "llama", preset: "7b", type: "f32", out, overrides: { ff: 1_000_000 } }),
    (error: Error & { code?: string }) =>
      error.code === "disk-full" &&
      error.message.includes(out) &&
      // Sizes a person reads (binary units), not raw byte counts.
      /needs \d+\.\d\d [GT]iB \(\+64\.00 MiB margin\) but only \d+\.\d\d [KMGT]iB are free there$/.test(error.message),
  );
  assert.equal(existsSync(out), false);
  assert.deepEqual(
    (await readdir(dir)).filter((name) => name.startsWith("huge")),
    [],
  );
});

test("bad shapes are usage errors naming the option", async () => {
  const out = join(dir, "bad.gguf");
  const usage = (fragment: string) => (error: Error & { code?: string }) =>
    error.code === "usage" && error.message.includes(fragment);
  await assert.rejects(synthesizeModel({ arch: "llama", preset: "huge", type: "f32", out }), usage("preset"));
  await assert.rejects(
    synthesizeModel({ arch: "llama", preset: "tiny", type: "q4_0", out, overrides: { embd: 72, heads: 5 } }),
    usage("--embd 72 must be a multiple of --heads 5"),
  );
  await assert.rejects(
    synthesizeModel({ arch: "llama", preset: "gemma-3-1b", type: "q4_0", out }),
    usage("preset 'gemma-3-1b' is a gemma3 shape, not llama"),
  );
  await assert.rejects(
    synthesizeModel({ arch: "qwen3", preset: "tiny", type: "q4_k_m", out, overrides: { headDim: 31 } }),
    usage("head size 31 must be even"),
  );
  await assert.rejects(
    synthesizeModel({ arch: "llama-moe", preset: "tiny", type: "f32", out, overrides: { expertsUsed: 5 } }),
    usage("--experts-used"),
  );
  await assert.rejects(
    synthesizeModel({ arch: "llama", preset: "tiny", type: "f32", out, overrides: { heads: 5 } }),
    usage("--heads"),
  );
  assert.equal(existsSync(out), false);
});
