import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { getLlama, LlamaLogLevel } from "node-llama-cpp";
import { readModelInfo } from "../../src/gguf/readModelInfo.ts";
import { synthesizeModel } from "../../src/gguf/synthesize.ts";

const CELLS = 256;

test("kvBytesPerToken agrees with the KV cache llama.cpp allocates (f16 and q8_0)", async () => {
  const dir = await mkdtemp(join(tmpdir(), "gguf-bench-kv-"));
  const logs: string[] = [];
  const llama = await getLlama({
    gpu: false,
    build: "never",
    logLevel: LlamaLogLevel.info,
    logger: (_level, message) => logs.push(message),
  });
  try {
    // 8 layers x 4 KV heads x head dim 64: 8 KiB per token at f16
    const { path } = await synthesizeModel({
      arch: "llama",
      preset: "tiny",
      type: "f16",
      out: join(dir, "kv.gguf"),
      overrides: { embd: 512, layers: 8, heads: 8, kvHeads: 4, ff: 512 },
    });
    const info = await readModelInfo(path);
    assert.deepEqual(info.kvBytesPerToken, { f16: 8192, q8_0: 4352 });
    const model = await llama.loadModel({ modelPath: path });
    for (const type of ["F16", "Q8_0"] as const) {
      logs.length = 0;
      const context = await model.createContext({
        contextSize: CELLS,
        threads: 1,
        experimentalKvCacheKeyType: type,
        experimentalKvCacheValueType: type,
        flashAttention: type === "Q8_0", // llama.cpp needs flash attention for a quantized V cache
      });
      await context.dispose();
      // llama.cpp: "llama_kv_cache: size =    2.00 MiB (   256 cells,   8 layers, ...)"
      const line = logs.find((message) => /llama_kv_cache: size =/.test(message));
      assert.ok(line, `no KV cache size line in llama.cpp's log for ${type}`);
      const match = /size =\s+([\d.]+) MiB \(\s*(\d+) cells/.exec(line);
      assert.ok(match, line);
      const cells = Number(match[2]);
      const expectedMiB = ((type === "F16" ? info.kvBytesPerToken?.f16 : info.kvBytesPerToken?.q8_0) ?? 0) * cells;
      // llama.cpp prints two decimals of MiB
      assert.ok(Math.abs(Number(match[1]) - expectedMiB / 1024 ** 2) <= 0.005, `${type}: ${line} vs ${expectedMiB} B`);
    }
    await model.dispose();
  } finally {
    await llama.dispose();
    await rm(dir, { recursive: true, force: true });
  }
});
