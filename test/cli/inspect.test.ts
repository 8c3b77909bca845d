import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { synthesizeModel } from "../../src/gguf/synthesize.ts";
import { runCli } from "../gguf/runCli.ts";
import { spawnCli } from "../helpers/spawnCli.ts";
import { needsRealModel, tinyModel } from "../helpers/tinyModel.ts";

const modelPath = (name: string) => fileURLToPath(new URL(`../../../shared/models/${name}`, import.meta.url));
const stories = modelPath("stories260K.gguf");
const tinyRandom = modelPath("llama-2-tiny-random.gguf");

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "gguf-bench-inspect-cli-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const noStackTrace = (text: string) => assert.doesNotMatch(text, /\n\s+at /);

test("inspect --json on the two real models: the figures of the issue, exit 0", async (t) => {
  if (!existsSync(stories) || !existsSync(tinyRandom))
    return t.skip(needsRealModel(stories, "compares with the figures the issue gives for the two real files"));
  const run = await runCli(["inspect", "--json", stories, tinyRandom]);
  assert.equal(run.code, 0, run.stderr);
  const [a, b] = JSON.parse(run.stdout);
  assert.equal(a.architecture, "llama");
  assert.equal(a.embeddingLength, 64);
  assert.equal(a.blockCount, 5);
  assert.equal(a.vocabSize, 512);
  assert.equal(a.contextLength, 2048);
  assert.equal(a.parameterCount, 292_800);
  assert.equal(b.embeddingLength, 8);
  assert.equal(b.blockCount, 1);
  assert.equal(b.vocabSize, 32000);
  assert.equal(b.contextLength, 4096);
  assert.equal(b.quantization, "F16");
  assert.equal(b.fileType, 1);
});

test("inspect prints a readable table per model", async () => {
  const run = await runCli(["inspect", await tinyModel(dir)]);
  assert.equal(run.code, 0, run.stderr);
  // token_embd 64×512 + 2 × (2×64 norms + q 64×64 + k, v 64×32 + o 64×64 + 3 × 64×128 FFN) + norm 64 + output 64×512
  assert.match(run.stdout, /parameters\s+│ 139\.6K \(139,584\)/);
  assert.match(run.stdout, /context length\s+│ 2,048/);
  assert.match(run.stdout, /heads \/ KV heads\s+│ 8 \/ 4/);
  // 2 layers × 4 KV heads × (8 + 8) dims × 2 bytes; q8_0 34/32 of that
  assert.match(run.stdout, /KV cache per token\s+│ f16 256 B, q8_0 136 B/);
});

test("directories are scanned; a bad file gives an error entry and exit 1, the others are still read", async () => {
  const models = join(dir, "models");
  await mkdir(join(models, "nested"), { recursive: true });
  await synthesizeModel({ arch: "llama", preset: "tiny", type: "q8_0", out: join(models, "a.gguf") });
  await synthesizeModel({ arch: "qwen2", preset: "tiny", type: "f16", out: join(models, "nested", "b.gguf") });
  await writeFile(join(models, "broken.gguf"), "this is not a model");
  await writeFile(join(models, "notes.txt"), "ignored");
  const run = await runCli(["inspect", "--json", models]);
  assert.equal(run.code, 1);
  const outcomes = JSON.parse(run.stdout);
  assert.deepEqual(
    outcomes.map((o: { file: string }) => o.file),
    [join(models, "a.gguf"), join(models, "broken.gguf"), join(models, "nested", "b.gguf")],
  );
  assert.equal(outcomes[0].architecture, "llama");
  assert.deepEqual(outcomes[1].error.code, "not-gguf");
  assert.match(outcomes[1].error.message, /broken\.gguf/);
  assert.equal(outcomes[2].architecture, "qwen2");

  const table = await runCli(["inspect", models]);
  assert.equal(table.code, 1);
  assert.match(table.stderr, /^gguf-bench: .*broken\.gguf: does not start with the GGUF magic bytes\n$/);
  assert.match(table.stdout, /qwen2/);
  noStackTrace(table.stderr);
});

test("a missing path and an empty directory are failures (exit 1) with one-line messages", async () => {
  const empty = join(dir, "empty");
  await mkdir(empty);
  const run = await runCli(["inspect", "--json", join(dir, "missing.gguf"), empty]);
  assert.equal(run.code, 1);
  const outcomes = JSON.parse(run.stdout);
  assert.equal(outcomes[0].error.code, "io");
  assert.equal(outcomes[1].error.code, "no-models");
  const plain = await runCli(["inspect", join(dir, "missing.gguf")]);
  assert.equal(plain.code, 1);
  assert.equal(plain.stderr.trim().split("\n").length, 1);
  noStackTrace(plain.stderr);
});

test("usage errors exit 2", async () => {
  const runs = await Promise.all([runCli(["inspect"]), runCli(["inspect", "--bogus", "x.gguf"])]);
  assert.deepEqual(
    runs.map((run) => run.code),
    [2, 2],
  );
});

test("inspect <dir> names the FIFOs it skipped (ten, then a count), never opens one, and still shows the model", async () => {
  const folder = join(dir, "with-fifos");
  await mkdir(folder);
  await tinyModel(folder, "model.gguf");
  const fifos = Array.from({ length: 13 }, (_, i) => join(folder, `pipe-${String(i).padStart(2, "0")}.gguf`));
  execFileSync("mkfifo", fifos);
  // A FIFO opened for reading would wait for a writer for ever: the guard kills a hang, so it fails here.
  const run = await spawnCli(["inspect", folder], { timeoutMs: 300_000 }).done;
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /model\.gguf/);
  assert.deepEqual(run.stderr.split("\n").filter(Boolean), [
    ...fifos.slice(0, 10).map((fifo) => `gguf-bench: ${fifo}: not a regular file (FIFO); skipped without opening it`),
    `gguf-bench: ${folder}: and 3 more entries that are not regular files; skipped`,
  ]);
  const json = await spawnCli(["inspect", "--json", folder], { timeoutMs: 300_000 }).done;
  assert.equal(json.code, 0, json.stderr);
  assert.deepEqual(
    (JSON.parse(json.stdout) as { file: string }[]).map((o) => o.file),
    [join(folder, "model.gguf")],
  );
  assert.equal(json.stderr.split("\n").filter(Boolean).length, 11, "the same warnings, stdout stays JSON");
});
