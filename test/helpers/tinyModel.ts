import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before } from "node:test";
import type { ModelInfo } from "../../src/gguf/modelInfo.ts";
import { readModelInfo } from "../../src/gguf/readModelInfo.ts";
import { type SynthArch, synthesizeModel } from "../../src/gguf/synthesize.ts";
import type { ShapeOverrides } from "../../src/gguf/synthShape.ts";

/**
 * A small model written by the project's own GGUF writer, for tests that need a model that loads and runs
 * rather than a trained model's figures (so they run on a fresh clone, without ../shared/models). The shape of
 * stories260K — embedding 64, 8 heads of size 8, 4 KV heads, vocabulary 512, training context 2048 (so 4096 is
 * beyond it) — with 2 layers and seeded random weights, F32. Returns the path; the caller owns `dir`.
 */
export async function tinyModel(dir: string, name = "tiny.gguf", overrides: ShapeOverrides = {}): Promise<string> {
  const { path: file } = await synthesizeModel({
    arch: "llama",
    preset: "tiny",
    type: "f32",
    out: path.join(dir, name),
    overrides: { heads: 8, kvHeads: 4, ctx: 2048, ...overrides },
  });
  return file;
}

/** Why a test that compares with a real file's known values skips on a fresh clone. */
export function needsRealModel(file: string, why: string): string {
  return `${why}: needs the real ${path.basename(file)} (../shared/models next to the repository; not on a fresh clone)`;
}

/**
 * The ModelInfo of each architecture's `tiny` preset as Q8_0, written by the project's own writer and read back:
 * real headers (sliding windows, MLA) for tests of what is printed about them. Registers the suite's before hook
 * that writes them into a temporary folder (the returned record is filled then) and the after hook that removes it.
 */
export function tinyModelInfos(archs: SynthArch[]): Record<string, ModelInfo> {
  const infos: Record<string, ModelInfo> = {};
  let dir = "";
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "gguf-bench-tiny-infos-"));
    for (const arch of archs) {
      const out = path.join(dir, `${arch}.gguf`);
      const { path: file } = await synthesizeModel({ arch, preset: "tiny", type: "q8_0", out });
      infos[arch] = await readModelInfo(file);
    }
  });
  after(() => rm(dir, { recursive: true, force: true }));
  return infos;
}
