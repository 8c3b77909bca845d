import assert from "node:assert/strict";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { UsageError } from "../../src/errors.ts";
import { readModelInfo } from "../../src/gguf/readModelInfo.ts";
import { resolveSynthShape } from "../../src/gguf/synthPresets.ts";
import type { ShapeOverrides } from "../../src/gguf/synthShape.ts";
import { runCli } from "../gguf/runCli.ts";

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "gguf-bench-synth-cli-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test("synth writes the asked shape and prints path, parameter count and bytes", async () => {
  const out = join(dir, "m.gguf");
  const run = await runCli([
    "synth",
    "--arch",
    "llama-moe",
    "--preset",
    "tiny",
    "--type",
    "q4_0",
    "--out",
    out,
    "--layers",
    "3",
    "--experts",
    "8",
    "--experts-used",
    "3",
    "--kv-heads",
    "1",
    "--seed",
    "9",
  ]);
  assert.equal(run.code, 0, run.stderr);
  const info = await readModelInfo(out);
  const bytes = (await stat(out)).size;
  assert.equal(
    run.stdout,
    `path: ${out}\nparameters: ${info.parameterCount} (${(info.parameterCount / 1000).toFixed(1)}K)\n` +
      `bytes: ${bytes} (${(bytes / 1024).toFixed(2)} KiB)\n`,
  );
  assert.equal(info.blockCount, 3);
  assert.equal(info.headCountKv, 1);
  assert.deepEqual(info.moe && [info.moe.expertCount, info.moe.expertUsedCount], [8, 3]);
  assert.equal(info.quantization, "Q4_0");
});

test("bad values are usage errors (exit 2) with one line, no stack trace", async () => {
  const out = join(dir, "bad.gguf");
  const cases = [
    ["--type", "q7_k"],
    ["--arch", "gpt2"],
    ["--preset", "70b"],
    ["--preset", "gemma-3-1b"], // a gemma3 shape asked of llama
    ["--heads", "four"],
    ["--embd", "72", "--heads", "5"],
    ["--experts", "4"],
    ["--arch", "deepseek2", "--kv-heads", "4"], // llama.cpp aborts loading it (GGML_ASSERT): MLA caches one head
    // No q_lora_rank in the lite preset, and llama.cpp needs it unless the model has a lite one's layer count
    ["--arch", "deepseek2", "--preset", "deepseek-v2-lite", "--layers", "4"],
  ];
  // Independent runs: start them together, the CLI's start-up dominates.
  const runs = await Promise.all(cases.map((args) => runCli(["synth", "--out", out, ...args])));
  runs.forEach((run, i) => {
    assert.equal(run.code, 2, `${cases[i]?.join(" ")}: ${run.stderr}`);
    assert.doesNotMatch(run.stderr, /\n\s+at /);
  });
  assert.equal(
    runs.at(-2)?.stderr,
    "gguf-bench: --kv-heads must be 1 with MLA (deepseek2 caches one compressed head), got 4\n",
  );
  assert.equal(
    runs.at(-1)?.stderr,
    "gguf-bench: --layers 4 needs attention.q_lora_rank, which this preset lacks: llama.cpp reads a deepseek2 " +
      "model without it only as a lite one (26 or 27 layers, or 48 with a 128256-token vocabulary)\n",
  );
  await assert.rejects(stat(out));
});

test("a deepseek2 shape without q_lora_rank resolves exactly where llama.cpp takes it for a lite model", () => {
  const lite = (overrides: ShapeOverrides) => resolveSynthShape("deepseek2", "deepseek-v2-lite", overrides);
  // llama.cpp's is_lite: n_layer 26 or 27, or 48 with n_vocab 128256 (src/models/deepseek2.cpp)
  assert.equal(lite({}).layers, 27);
  assert.equal(lite({ layers: 26 }).layers, 26);
  assert.equal(lite({ layers: 48, vocab: 128_256 }).vocab, 128_256);
  for (const overrides of [{ layers: 28 }, { layers: 48 }, { layers: 1, vocab: 128_256 }]) {
    assert.throws(
      () => lite(overrides),
      (error: Error) => {
        assert.ok(error instanceof UsageError);
        assert.match(error.message, new RegExp(`^--layers ${overrides.layers} needs attention.q_lora_rank`));
        return true;
      },
    );
  }
  // The tiny preset writes q_lora_rank, so any layer count is fine there.
  assert.equal(resolveSynthShape("deepseek2", "tiny", { layers: 5 }).mla?.qLoraRank, 256);
});

test("an unwritable destination is a failure (exit 1) naming the path", async () => {
  const out = join(dir, "no", "such", "dir", "m.gguf");
  const run = await runCli(["synth", "--out", out]);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /^gguf-bench: cannot write .*m\.gguf/);
  assert.equal(run.stderr.trim().split("\n").length, 1);
});

test("synth --list prints every architecture's presets with parameters, shape and source", async () => {
  const run = await runCli(["synth", "--list"]);
  assert.equal(run.code, 0, run.stderr);
  const lines = run.stdout.trimEnd().split("\n");
  assert.match(lines[0] ?? "", /^arch\s+preset\s+parameters\s+shape\s+source$/);
  for (const arch of ["llama", "qwen2", "llama-moe", "qwen3", "qwen3moe", "gemma3", "phi3", "gpt-oss", "deepseek2"]) {
    assert.ok(
      lines.some((line) => new RegExp(`^${arch}\\s+tiny\\s`).test(line)),
      `${arch} keeps a tiny preset`,
    );
  }
  const row = (pattern: RegExp) =>
    assert.ok(
      lines.some((line) => pattern.test(line)),
      String(pattern),
    );
  row(
    /^llama\s+llama-3\.2-1b\s+1\.24B\s+embd 2048, 16 layers, 32\/8 heads x 64, .*tied\s+meta-llama\/Llama-3\.2-1B config\.json$/,
  );
  row(/^gemma3\s+gemma-3-1b\s+999\.9M\s+.*window 512, tied\s+google\/gemma-3-1b-it config\.json$/);
  row(/^gpt-oss\s+gpt-oss-20b\s+20\.9B\s+.*32 experts \(4 used\), window 128\s+openai\/gpt-oss-20b config\.json$/);
  row(/^qwen3moe\s+qwen3-30b-a3b\s+30\.5B\s/);
  row(/^llama-moe\s+seed-moe-4x7b\s+24\.2B\s+.*4 experts \(4 used\)\s+user's report: M-MOE-4X7B/);
  row(
    /^qwen2\s+seed-deepseek-14b\s+14\.8B\s+embd 5120, 48 layers, 40\/8 heads x 128, ff 13824, vocab 151665, ctx 131072\s/,
  );
  row(/^llama\s+seed-ayla-12b\s+12\.2B\s/);
  row(/^llama\s+seed-wizardlm-7b\s+6\.74B\s+.*ctx 2048\s/);
});

test("synth --list --arch deepseek2: only that architecture's presets; MLA's head size and cache row named", async () => {
  const run = await runCli(["synth", "--list", "--arch", "deepseek2"]);
  assert.equal(run.code, 0, run.stderr);
  const rows = run.stdout.trimEnd().split("\n").slice(1);
  assert.ok(rows.length >= 2, run.stdout);
  for (const line of rows) assert.match(line, /^deepseek2\s/);
  assert.match(
    run.stdout,
    /^deepseek2\s+tiny\s+.*4 heads x 96 \(K per head\), .*MLA kv_lora 256 \(cache row K 288, no V, 1 KV head\)/m,
  );
});

test("synth warns when the file holds none of its type's main weight type (tiny rows cannot be k-quantised)", async () => {
  const make = (arch: string, type: string) =>
    runCli(["synth", "--arch", arch, "--type", type, "--out", join(dir, `${arch}-${type}.gguf`), "--force"]);
  const [llamaQ6, llamaQ4km, llamaQ8, gemmaQ4km] = await Promise.all([
    make("llama", "q6_k"),
    make("llama", "q4_k_m"),
    make("llama", "q8_0"),
    make("gemma3", "q4_k_m"),
  ]);
  for (const run of [llamaQ6, llamaQ4km, llamaQ8, gemmaQ4km]) assert.equal(run.code, 0, run.stderr);
  assert.equal(
    llamaQ6.stderr,
    "gguf-bench: warning: tiny q6_k holds Q8_0, no Q6_K: rows that are not a multiple of 256 cannot be k-quantised (llama.cpp's quantizer falls back)\n",
  );
  assert.match(llamaQ4km.stderr, /^gguf-bench: warning: tiny q4_k_m holds Q5_0 \+ Q8_0, no Q4_K: /);
  // Its tensors say the same: not one Q4_K.
  const info = await readModelInfo(join(dir, "llama-q4_k_m.gguf"));
  assert.deepEqual(Object.keys(info.tensorTypes).sort(), ["F32", "Q5_0", "Q8_0"]);
  // q8_0 rows of 64 are whole blocks; gemma3's tiny rows of 256 take Q4_K: nothing to say.
  assert.equal(llamaQ8.stderr, "");
  assert.equal(gemmaQ4km.stderr, "");
});
