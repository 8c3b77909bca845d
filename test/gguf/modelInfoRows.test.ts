import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { ModelInfo } from "../../src/gguf/modelInfo.ts";
import { formatBytes, formatCount, modelInfoRows } from "../../src/gguf/modelInfoRows.ts";
import { printable } from "../../src/text/printable.ts";
import { tinyModelInfos } from "../helpers/tinyModel.ts";

test("formatCount quotes sizes as model cards do", () => {
  assert.equal(formatCount(999), "999");
  assert.equal(formatCount(292_800), "292.8K");
  assert.equal(formatCount(25_400_000), "25.4M");
  assert.equal(formatCount(1_100_048_384), "1.10B");
  assert.equal(formatCount(6_738_415_616), "6.74B");
});

test("formatBytes uses binary units", () => {
  assert.equal(formatBytes(640), "640 B");
  assert.equal(formatBytes(1024), "1.00 KiB");
  assert.equal(formatBytes(1_185_376), "1.13 MiB");
  assert.equal(formatBytes(3_791_947_360), "3.53 GiB");
});

test("printable escapes control characters from untrusted names (no terminal escape sequences)", () => {
  assert.equal(printable("ok ▁name"), "ok ▁name");
  assert.equal(printable("a\u001b[31mred\nb"), "a\\u001b[31mred\\u000ab");
});

describe("rows of synthesised models", () => {
  const info = tinyModelInfos(["gemma3", "deepseek2", "llama"]);
  const rows = (i: ModelInfo | undefined, ubatch?: number) => new Map(modelInfoRows(i as ModelInfo, ubatch));

  test("the sliding-window cache is a fixed size at window + n_ubatch cells (padded to 256), never 'per 1K tokens'", () => {
    // gemma3 tiny: window 128, 5 sliding-window layers × 1 KV head × (64 + 64) elements = 640 per cell.
    const swa = rows(info.gemma3, 513).get("sliding-window cache") ?? "";
    assert.equal(
      swa,
      "fixed at 768 cells (window 128 + n_ubatch 513, padded to 256; fewer below that context): f16 960.00 KiB, q8_0 510.00 KiB; per cell f16 1.25 KiB, q8_0 680 B",
    );
    assert.doesNotMatch(swa, /per 1K/);
    assert.match(rows(info.gemma3).get("sliding-window cache") ?? "", /^window \+ n_ubatch cells, padded to 256/);
    assert.equal(rows(info.llama, 513).has("sliding-window cache"), false);
  });

  test("MLA: one cached row, the compressed K (kv_lora_rank + RoPE dims); no V length printed as if V were cached", () => {
    const r = rows(info.deepseek2);
    assert.equal(r.has("head dim (k / v)"), false);
    // deepseek2 tiny: kv_lora_rank 256, RoPE dims 32 (value_length 256 is not a cached V)
    assert.equal(r.get("MLA cache row"), "288 elements per layer (kv_lora_rank 256 + RoPE dims 32), no V cached");
    // The bytes agree: 2 layers x 288 elements x 2 bytes (f16) = 1,152 bytes per token, K only.
    assert.equal(info.deepseek2?.kvBytesPerToken?.f16, 2 * 288 * 2);
    assert.match(r.get("KV cache layers") ?? "", /MLA: compressed K cache only \(kv_lora_rank \+ rope dims\), no V$/);
    for (const [label, value] of r) assert.doesNotMatch(`${label} ${value}`, /\/ ?256|\(k \/ v\)/i, label);
  });

  test("absent RoPE keys print llama.cpp's defaults; a split file says how many parts", () => {
    const llama = structuredClone(info.llama as ModelInfo);
    llama.rope.dimensionCount = null;
    llama.rope.freqBase = null;
    llama.files = ["/m/a-00001-of-00002.gguf", "/m/a-00002-of-00002.gguf"];
    llama.file = "/m/a-00001-of-00002.gguf";
    const r = rows(llama);
    assert.match(r.get("rope") ?? "", /^n_rot 16 \(default: the key head size\), base 10,000 \(llama\.cpp's default\)/);
    assert.equal(r.get("file"), "/m/a-00001-of-00002.gguf (first of 2 parts)");
  });
});
