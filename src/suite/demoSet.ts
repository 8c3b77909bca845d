import { mkdir, rename, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { readModelInfo } from "../gguf/readModelInfo.ts";
import { type SynthArch, type SynthType, synthesizeModel } from "../gguf/synthesize.ts";

/** Bump when the demo shapes change, so cached files from an older version are not reused. */
const DEMO_SET_VERSION = 2;

/** The built-in demo: a small dense llama, a qwen2 and a llama mixture-of-experts; random weights, real shapes. */
export const DEMO_MODELS: { label: string; arch: SynthArch; preset: string; type: SynthType }[] = [
  { label: "demo-llama-25m", arch: "llama", preset: "25m", type: "q8_0" },
  { label: "demo-qwen2-tiny", arch: "qwen2", preset: "tiny", type: "q8_0" },
  { label: "demo-llama-moe-25m", arch: "llama-moe", preset: "25m", type: "q8_0" },
];

export interface DemoModel {
  file: string;
  label: string;
}

/** `$XDG_CACHE_HOME/gguf-bench/demo` (XDG default ~/.cache), or the temp dir when there is no home. */
export function demoCacheDir(): string {
  const home = os.homedir();
  const cacheRoot = process.env.XDG_CACHE_HOME || (home ? path.join(home, ".cache") : os.tmpdir());
  return path.join(cacheRoot, "gguf-bench", "demo");
}

/** Synthesises the demo models once into the cache dir (reused afterwards) and returns their paths. */
export async function prepareDemoSet(dir = demoCacheDir()): Promise<DemoModel[]> {
  await mkdir(dir, { recursive: true });
  const models: DemoModel[] = [];
  for (const m of DEMO_MODELS) {
    const file = path.join(dir, `v${DEMO_SET_VERSION}-${m.arch}-${m.preset}-${m.type}.gguf`);
    if (!(await usable(file))) {
      // Missing, or damaged (truncated, overwritten, not a file): made again, never reused half-broken.
      await rm(file, { recursive: true, force: true });
      // Write beside and rename, so an interrupted synthesis never leaves a half file that looks cached.
      const partial = `${file}.partial-${process.pid}`;
      const written = await synthesizeModel({
        arch: m.arch,
        preset: m.preset,
        type: m.type,
        out: partial,
        name: m.label,
      });
      await rename(written.path, file);
    }
    models.push({ file, label: m.label });
  }
  return models;
}

/** A cached demo model is reused only when its header reads and its tensor data lies within the file. */
async function usable(file: string): Promise<boolean> {
  return readModelInfo(file).then(
    () => true,
    () => false,
  );
}
