import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { formatBytes } from "../../src/gguf/modelInfoRows.ts";
import { parseWhatIf } from "../../src/whatif/parseWhatIf.ts";
import { whatIfDiskLine } from "../../src/whatif/whatIfDiskLine.ts";
import { whatIfFileBytes } from "../../src/whatif/whatIfFileBytes.ts";

test("whatIfDiskLine: the files' sizes added up, the folder, its free space and the verdict", async () => {
  const dir = await mkdtemp(join(tmpdir(), "gguf-bench-disk-line-"));
  try {
    const specs = [parseWhatIf("llama:tiny:q8_0"), parseWhatIf("qwen2:tiny:q4_0")];
    const needed = specs.reduce((sum, spec) => sum + whatIfFileBytes(spec), 0);
    const line = await whatIfDiskLine(specs, dir);
    // Two tiny files with the 16 MiB header allowance each: about 32 MiB, which any test disk has room for.
    assert.match(
      line ?? "",
      new RegExp(
        `^temporary disk: 2 what-if file\\(s\\) need about ${formatBytes(needed).replace(".", "\\.")} in ${dir} ` +
          "\\(removed after the run\\); \\d+\\.\\d\\d [KMGT]iB free there: enough$",
      ),
    );
    assert.equal(await whatIfDiskLine([], dir), null);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("whatIfDiskLine: a folder whose free space cannot be read says why, with no verdict", async () => {
  const missing = join(tmpdir(), "gguf-bench-no-such-folder-for-disk-line");
  const line = await whatIfDiskLine([parseWhatIf("llama:tiny:q8_0")], missing);
  assert.match(
    line ?? "",
    / in \S+ \(removed after the run\); free space there unknown \(no such file or directory \(ENOENT\)\)$/,
  );
});
