import assert from "node:assert/strict";
import { existsSync, statfsSync } from "node:fs";
import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, test } from "node:test";
import { UsageError } from "../../src/errors.ts";
import { readModelInfo } from "../../src/gguf/readModelInfo.ts";
import { expandWhatIf, parseWhatIf } from "../../src/whatif/parseWhatIf.ts";
import { resolveWhatIf } from "../../src/whatif/resolveWhatIf.ts";
import { whatIfFileBytes } from "../../src/whatif/whatIfFileBytes.ts";

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "gguf-bench-whatif-test-"));
});
after(() => rm(dir, { recursive: true, force: true }));

test("specs parse case-insensitively into arch, preset and type", () => {
  assert.deepEqual(parseWhatIf("llama:7b:q4_0"), { arch: "llama", preset: "7b", type: "q4_0" });
  assert.deepEqual(parseWhatIf(" LLAMA-MOE:25M:Q8_0 "), { arch: "llama-moe", preset: "25m", type: "q8_0" });
  assert.deepEqual(parseWhatIf("gpt-oss:gpt-oss-20b:mxfp4_moe"), {
    arch: "gpt-oss",
    preset: "gpt-oss-20b",
    type: "mxfp4_moe",
  });
});

test("'seed' expands to the user's four models as Q4_K_M; any other spec stands for itself", () => {
  const seed = expandWhatIf(" Seed ");
  assert.deepEqual(seed, [
    "llama-moe:seed-moe-4x7b:q4_k_m",
    "llama:seed-ayla-12b:q4_k_m",
    "qwen2:seed-deepseek-14b:q4_k_m",
    "llama:seed-wizardlm-7b:q4_k_m",
  ]);
  for (const spec of seed) assert.doesNotThrow(() => parseWhatIf(spec));
  assert.deepEqual(expandWhatIf("llama:tiny:q8_0"), ["llama:tiny:q8_0"]);
  // The seed shapes as the issue states them, read back from what would be written.
  const sizes = seed.map((spec) => whatIfFileBytes(parseWhatIf(spec)) / 1024 ** 3);
  // Q4_K_M files of these shapes are about 13.6, 7.0, 8.4 and 3.8 GiB (plus the 16 MiB header allowance).
  assert.deepEqual(
    sizes.map((gib) => Math.round(gib * 10) / 10),
    [13.6, 7.0, 8.4, 3.8],
  );
});

test("bad specs are usage errors that name the part and the choices", () => {
  const cases: [string, RegExp][] = [
    ["llama:7b", /expected <arch>:<preset>:<type>/],
    ["llama::q4_0", /expected <arch>:<preset>:<type>/],
    ["gpt2:7b:q4_0", /unknown arch 'gpt2' \(choose one of llama, qwen2, llama-moe, qwen3, qwen3moe, gemma3, /],
    ["llama:70b:q4_0", /unknown preset '70b' for llama \(choose one of tiny, 25m, 300m, 1b, 7b, llama-3.2-1b, /],
    ["gemma3:7b:q4_0", /unknown preset '7b' for gemma3 \(choose one of tiny, gemma-3-1b, gemma-3-4b, gemma-3-12b\)/],
    // Another architecture's named shape is said as such, as synth says it.
    [
      "llama:gemma-3-4b:q4_k_m",
      /^--what-if 'llama:gemma-3-4b:q4_k_m': preset 'gemma-3-4b' is a gemma3 shape, not llama$/,
    ],
    ["llama:7b:q4_k_l", /unknown type 'q4_k_l' \(choose one of f32, f16, bf16, q8_0, q4_0, q4_k_s, q4_k_m, /],
  ];
  for (const [spec, message] of cases) {
    assert.throws(
      () => parseWhatIf(spec),
      (error: unknown) => error instanceof UsageError && message.test(error.message),
    );
  }
});

test("resolveWhatIf writes a loadable, labelled synthetic model in its own folder and cleanup removes it", async () => {
  const model = await resolveWhatIf("llama:tiny:q8_0", dir);
  assert.equal(model.label, "what-if llama tiny q8_0");
  assert.equal(dirname(dirname(model.path)), dir);
  const info = await readModelInfo(model.path);
  assert.equal(info.architecture, "llama");
  assert.equal(info.quantization, "Q8_0");
  assert.equal(info.name, model.label);
  // The size check before writing is an upper bound within its 16 MiB header allowance.
  const size = (await stat(model.path)).size;
  const predicted = whatIfFileBytes(parseWhatIf("llama:tiny:q8_0"));
  assert.ok(size <= predicted && predicted - size <= 16 * 1024 * 1024, `${size} vs ${predicted}`);
  await model.cleanup();
  assert.equal(existsSync(dirname(model.path)), false);
  await model.cleanup(); // twice is fine
  assert.deepEqual(await readdir(dir), []);
});

test("not enough free disk: refused before writing anything, with what it needs and where", async (t) => {
  // A 7B shape in f32 (~27 GB) against a RAM-backed /dev/shm; only run where it really cannot fit.
  const shm = "/dev/shm";
  if (!existsSync(shm)) return t.skip("no /dev/shm here");
  const free = statfsSync(shm).bavail * statfsSync(shm).bsize;
  const needed = whatIfFileBytes(parseWhatIf("llama:7b:f32"));
  if (needed < free) return t.skip(`/dev/shm has ${free} bytes free: room for the 7B f32 shape, not testable`);
  const before = await readdir(shm);
  await assert.rejects(resolveWhatIf("llama:7b:f32", shm), (error: unknown) => {
    const e = error as { code?: string; message?: string };
    return e.code === "disk-full" && /needs about 2\d\.\d\d GiB in \/dev\/shm/.test(e.message ?? "");
  });
  assert.deepEqual(await readdir(shm), before);
});
