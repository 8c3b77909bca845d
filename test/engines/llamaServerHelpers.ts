import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { TestContext } from "node:test";
import { findBuiltTool } from "../../src/engines/enginePaths.ts";
import { synthesizeModel } from "../../src/gguf/synthesize.ts";

/** The llama-server `gguf-bench engine build` built, or null. */
export const llamaServerBinary = findBuiltTool("llama-server");

/**
 * Skips a test that needs llama-server where it is not built, saying so; fails it instead where the engines must
 * be there (.ci/run sets GGUF_BENCH_REQUIRE_ENGINES=1 after building them: server tests never skip in CI).
 */
export function needLlamaServer(t: TestContext): string | null {
  if (llamaServerBinary !== null) return llamaServerBinary;
  const message = "llama-server is not built (gguf-bench engine build)";
  if (process.env.GGUF_BENCH_REQUIRE_ENGINES === "1") throw new Error(`${message}, and GGUF_BENCH_REQUIRE_ENGINES=1`);
  t.skip(message);
  return null;
}

/** A tiny llama synthesised with the project's own writer: loads in llama-server in well under a second. */
export async function tinyModel(dir: string, name = "tiny.gguf"): Promise<string> {
  const out = path.join(dir, name);
  await synthesizeModel({ arch: "llama", preset: "tiny", type: "q8_0", out });
  return out;
}

/**
 * The same model with `llama.block_count` raised by one in its header: gguf-bench reads it fine (the header is
 * valid), llama.cpp refuses it at load (a layer's tensors are missing) and says so on stderr.
 */
export async function modelMissingALayer(dir: string): Promise<string> {
  const good = await tinyModel(dir, "good-for-broken.gguf");
  const bytes = await readFile(good);
  const key = Buffer.from("llama.block_count");
  const at = bytes.indexOf(key);
  if (at < 0) throw new Error("no llama.block_count in the synthesised header");
  // key bytes, then the value type (uint32, 4 bytes), then the value.
  const valueAt = at + key.length + 4;
  bytes.writeUInt32LE(bytes.readUInt32LE(valueAt) + 1, valueAt);
  const broken = path.join(dir, "missing-a-layer.gguf");
  await writeFile(broken, bytes);
  return broken;
}

/** Pids of running llama-server processes whose command line names `file` (tests check none is left behind). */
export async function llamaServersFor(file: string): Promise<number[]> {
  const { readdir } = await import("node:fs/promises");
  const pids: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = (await readFile(`/proc/${entry}/cmdline`, "utf8")).split("\0");
      const state = (await readFile(`/proc/${entry}/stat`, "utf8")).split(") ")[1]?.[0];
      if (state !== "Z" && argv[0]?.endsWith("llama-server") && argv.includes(file)) pids.push(Number(entry));
    } catch {
      // Gone while we looked.
    }
  }
  return pids;
}
