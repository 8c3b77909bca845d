import path from "node:path";
import { synthesizeModel } from "../../src/gguf/synthesize.ts";
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
