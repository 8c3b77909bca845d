import assert from "node:assert/strict";
import { mkdtemp, open, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { encodeGgufHeader } from "../../src/gguf/encodeGgufHeader.ts";
import { ggmlTypeId } from "../../src/gguf/ggmlTypes.ts";
import { readGgufHeader } from "../../src/gguf/readGgufHeader.ts";
import { readModelInfo } from "../../src/gguf/readModelInfo.ts";

test("a 16 GiB (sparse) model is read from its header alone: reads stop within one window of the header end", async () => {
  const dir = await mkdtemp(join(tmpdir(), "gguf-bench-header-only-"));
  try {
    const path = join(dir, "sparse.gguf");
    const tensors = [0, 1, 2, 3].map((i) => ({
      name: `blk.${i}.ffn_up.weight`,
      dimensions: [32768, 32768],
      typeId: ggmlTypeId("F32"),
      offset: i * 32768 * 32768 * 4,
    }));
    const header = encodeGgufHeader(new Map([["general.architecture", { type: "string", value: "llama" }]]), tensors, {
      alignment: 32,
    });
    await writeFile(path, header);
    const fileBytes = header.length + 4 * 32768 * 32768 * 4;
    await truncate(path, fileBytes); // a hole: no disk used
    const info = await readModelInfo(path);
    assert.equal(info.fileBytes, fileBytes);
    assert.equal(info.parameterCount, 4 * 32768 * 32768);

    const handle = await open(path, "r");
    let furthest = 0;
    let bytesRead = 0;
    const recording = {
      read: async (buffer: Buffer, offset: number, length: number, position: number) => {
        const result = await handle.read(buffer, offset, length, position);
        furthest = Math.max(furthest, position + result.bytesRead);
        bytesRead += result.bytesRead;
        return result;
      },
    };
    try {
      const parsed = await readGgufHeader(recording, fileBytes, path);
      assert.equal(parsed.dataOffset, header.length);
    } finally {
      await handle.close();
    }
    assert.ok(furthest <= header.length + 256 * 1024, `read up to byte ${furthest}`);
    assert.ok(bytesRead <= header.length + 256 * 1024, `read ${bytesRead} bytes`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
