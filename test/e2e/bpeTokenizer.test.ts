import assert from "node:assert/strict";
import { mkdtemp, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { getLlama, LlamaLogLevel } from "node-llama-cpp";
import { UsageError } from "../../src/errors.ts";
import type { GgufValue } from "../../src/gguf/ggufValue.ts";
import { readGgufFile } from "../../src/gguf/readGgufFile.ts";
import { synthesizeModel, synthModelHeader } from "../../src/gguf/synthesize.ts";
import type { RunResults } from "../../src/results/types.ts";
import { runCli, SMALL_RUN } from "./helpers.ts";

// synth --tokenizer bpe writes the byte-level BPE vocabulary real llama 3 / qwen files carry (merges included), and
// llama.cpp loads, tokenizes and generates with it: in `gguf-bench run` (worker process) and in-process for qwen2,
// whose pre-tokenizer differs.

let dir: string;
before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "gguf-bench-bpe-"));
});
after(() => rm(dir, { recursive: true, force: true }));

const items = (v: GgufValue | undefined): unknown[] => (v && "items" in v ? v.items : []);
const value = (v: GgufValue | undefined): unknown => (v && "value" in v ? v.value : undefined);

test("synth --tokenizer bpe --merges 3000: a gpt2 vocabulary whose merges build its tokens; `run` loads and generates", async () => {
  const model = path.join(dir, "llama-bpe.gguf");
  const synth = await runCli(["synth", "--tokenizer", "bpe", "--merges", "3000", "--vocab", "4096", "--out", model]);
  assert.equal(synth.code, 0, synth.stderr);

  const { metadata } = await readGgufFile(model);
  assert.equal(value(metadata.get("tokenizer.ggml.model")), "gpt2");
  assert.equal(value(metadata.get("tokenizer.ggml.pre")), "llama-bpe");
  const tokens = items(metadata.get("tokenizer.ggml.tokens")) as string[];
  const merges = items(metadata.get("tokenizer.ggml.merges")) as string[];
  assert.equal(tokens.length, 4096);
  assert.equal(merges.length, 3000);
  assert.equal(new Set(tokens).size, tokens.length, "tokens are unique");
  // Byte tokens in GPT-2's byte-to-unicode form: "!" is itself, space is "Ġ", newline "Ċ".
  assert.deepEqual([tokens[0x21], tokens[0x20], tokens[0x0a]], ["!", "\u0120", "\u010a"]);
  // Every merge joins two tokens into a token (llama.cpp would drop a merged piece it cannot find).
  const known = new Set(tokens);
  for (const merge of merges) {
    const [left = "", right = ""] = merge.split(" ");
    assert.ok(known.has(left) && known.has(right) && known.has(left + right), merge);
  }
  const types = items(metadata.get("tokenizer.ggml.token_type"));
  assert.deepEqual(types.slice(-2), [3, 3]); // BOS, EOS: control tokens
  assert.equal(value(metadata.get("tokenizer.ggml.bos_token_id")), 4094);
  assert.equal(value(metadata.get("tokenizer.ggml.eos_token_id")), 4095);

  const run = await runCli(["run", model, ...SMALL_RUN, "--contexts", "512", "--out", dir, "--json"]);
  assert.equal(run.code, 0, run.stderr);
  const [result] = (JSON.parse(run.stdout) as RunResults).models;
  assert.ok(result);
  assert.equal(result.status, "ok", JSON.stringify(result.errors));
  assert.equal(result.info.vocabSize, 4096);
  const timed = result.inference?.samples.filter((s) => !s.warmup) ?? [];
  assert.ok(timed.length > 0);
  for (const s of timed) assert.ok(s.outputTokens > 0 && (s.promptTokensPerSecond ?? 0) > 0);
  const context = result.contexts.find((c) => c.status === "ok");
  assert.ok(context && context.contextSize === 512, JSON.stringify(result.contexts));
});

test("a qwen2 tiny with a BPE tokenizer: pre-tokenizer qwen2, llama.cpp loads it, tokenizes with merges, generates", async () => {
  const model = path.join(dir, "qwen2-bpe.gguf");
  await synthesizeModel({
    arch: "qwen2",
    preset: "tiny",
    type: "q8_0",
    out: model,
    overrides: { vocab: 4096 },
    tokenizer: { kind: "bpe", merges: 3000 },
  });
  assert.equal(value((await readGgufFile(model)).metadata.get("tokenizer.ggml.pre")), "qwen2");
  const log: string[] = [];
  const llama = await getLlama({
    gpu: false,
    build: "never",
    logLevel: LlamaLogLevel.info,
    logger: (_level, message) => {
      log.push(message);
    },
  });
  try {
    const loaded = await llama.loadModel({ modelPath: model, checkTensors: true });
    try {
      const text = "Once upon a time, the model said hello to the world.\nÉ 42";
      const prompt = loaded.tokenize(text);
      assert.equal(loaded.detokenize(prompt), text, "tokenize then detokenize gives the text back");
      // Merges ran: " a" and " to" (pieces of up to two letters: the first 3000 merges) are single tokens,
      // so the 58 bytes take 33 tokens (bytes alone would take 58).
      const pieces = prompt.map((t) => loaded.detokenize([t]));
      assert.ok(pieces.includes(" a") && pieces.includes(" to"), JSON.stringify(pieces));
      assert.ok(prompt.length < Buffer.byteLength(text) * 0.6, `${prompt.length} tokens`);
      const context = await loaded.createContext({ contextSize: 512, threads: 1 });
      const generated: number[] = [];
      for await (const token of context.getSequence().evaluate(prompt, { temperature: 0 })) {
        generated.push(token);
        if (generated.length >= 4) break;
      }
      assert.equal(generated.length, 4);
      await context.dispose();
    } finally {
      await loaded.dispose();
    }
  } finally {
    await llama.dispose();
  }
  const text = log.join("");
  assert.match(text, /vocab type\s+= BPE/);
  assert.match(text, /n_merges\s+= 3000/);
  assert.doesNotMatch(text, /missing pre-tokenizer/);
});

test("more merges than word pieces, or --merges without bpe, are refused in one line; spm stays the default", async () => {
  const out = path.join(dir, "refused.gguf");
  const [tooMany, noBpe] = await Promise.all([
    runCli(["synth", "--tokenizer", "bpe", "--merges", "3839", "--vocab", "4096", "--out", out]),
    runCli(["synth", "--merges", "10", "--out", out]),
  ]);
  assert.equal(tooMany.code, 2);
  assert.equal(
    tooMany.stderr,
    "gguf-bench: --merges 3839 is more than the 3838 word pieces of a 4096-token BPE vocabulary " +
      "(4096 - 256 byte tokens - 2 control tokens) that can carry one merge each\n",
  );
  assert.equal(noBpe.code, 2);
  assert.equal(noBpe.stderr, "gguf-bench: --merges needs --tokenizer bpe (SentencePiece has no merges)\n");
  await assert.rejects(stat(out));

  const header = (tokenizer?: { kind: "spm" } | { kind: "bpe"; merges?: number }) =>
    synthModelHeader({ arch: "llama", preset: "tiny", type: "q8_0", overrides: { vocab: 4096 }, tokenizer });
  assert.throws(() => header({ kind: "bpe", merges: -1 }), UsageError);
  // The bound is exact: 3838 merges fit, and without a count every word piece carries one.
  assert.equal(items(header({ kind: "bpe", merges: 3838 }).metadata.get("tokenizer.ggml.merges")).length, 3838);
  assert.equal(items(header({ kind: "bpe" }).metadata.get("tokenizer.ggml.merges")).length, 3838);
  const spm = header().metadata;
  assert.equal(value(spm.get("tokenizer.ggml.model")), "llama");
  assert.equal(spm.has("tokenizer.ggml.merges"), false);
  assert.deepEqual(spm, header({ kind: "spm" }).metadata);
});
