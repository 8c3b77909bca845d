import assert from "node:assert/strict";
import { existsSync, statfsSync } from "node:fs";
import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, test } from "node:test";
import { UsageError } from "../../src/errors.ts";
import { readModelInfo } from "../../src/gguf/readModelInfo.ts";
import { parseWhatIf } from "../../src/whatif/parseWhatIf.ts";
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
});

test("bad specs are usage errors that name the part and the choices", () => {
  const cases: [string, RegExp][] = [
    ["llama:7b", /expected <arch>:<preset>:<type>/],
    ["llama::q4_0", /expected <arch>:<preset>:<type>/],
    ["gpt2:7b:q4_0", /unknown arch 'gpt2' \(choose one of llama, qwen2, llama-moe\)/],
    ["llama:70b:q4_0", /unknown preset '70b' \(choose one of tiny, 25m, 300m, 1b, 7b\)/],
    ["llama:7b:q4_k", /unknown type 'q4_k' \(choose one of f32, f16, q8_0, q4_0\)/],
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
  assert.equal(model.label, "what-if llama tiny q8_0 (synthetic)");
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
