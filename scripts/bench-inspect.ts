/**
 * Inspect cost does not depend on model size: the reader touches only the header.
 * Synthesises a ~1 MB model and a ~2.2 GB one (TinyLlama-1.1B shape, F16), both with a 32000-token vocabulary,
 * in a temporary directory, times
 * readModelInfo on each over several repetitions, prints both side by side and their ratio, then removes them.
 * Usage: npm run bench:inspect [-- --reps 30]
 */
import { mkdtemp, rm, statfs } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mean, median, min } from "simple-statistics";
import { formatBytes } from "../src/gguf/modelInfoRows.ts";
import { readModelInfo } from "../src/gguf/readModelInfo.ts";
import { type SynthOptions, synthesizeModel } from "../src/gguf/synthesize.ts";

const repsFlag = process.argv.indexOf("--reps");
const REPS = repsFlag > 0 ? Number(process.argv[repsFlag + 1]) : 30;
const WARMUP = 3;
/** TinyLlama-1.1B at F16 is ~2.2 GB; keep twice that free so the bench never fills the disk. */
const NEEDED_BYTES = 4.5 * 1024 ** 3;

const dir = await mkdtemp(join(tmpdir(), "gguf-bench-inspect-"));
try {
  const stats = await statfs(dir);
  const free = stats.bavail * stats.bsize;
  if (free < NEEDED_BYTES) {
    console.error(
      `bench:inspect needs ${formatBytes(NEEDED_BYTES)} free in ${tmpdir()}, only ${formatBytes(free)} there`,
    );
    process.exitCode = 1;
  } else {
    const models: [string, Omit<SynthOptions, "out">][] = [
      // Same 32000-token vocabulary as the large one, so the two headers are alike and only the weights differ.
      [
        "small",
        {
          arch: "llama",
          preset: "tiny",
          type: "f16",
          overrides: { embd: 8, layers: 1, heads: 2, kvHeads: 2, ff: 32, vocab: 32000 },
        },
      ],
      ["large", { arch: "llama", preset: "1b", type: "f16" }],
    ];
    const files: { label: string; out: string; bytes: number; times: number[] }[] = [];
    for (const [label, options] of models) {
      const out = join(dir, `${label}.gguf`);
      const started = performance.now();
      const { bytes } = await synthesizeModel({ ...options, out });
      console.log(
        `synthesised ${label}: ${formatBytes(bytes)} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
      files.push({ label, out, bytes, times: [] });
    }
    // Alternate the two files so drift in machine load hits both alike.
    for (let i = 0; i < WARMUP + REPS; i++) {
      for (const file of files) {
        const t0 = performance.now();
        await readModelInfo(file.out);
        if (i >= WARMUP) file.times.push(performance.now() - t0);
      }
    }
    const rows = files.map(({ label, bytes, times }) => ({
      label,
      bytes,
      medianMs: median(times),
      meanMs: mean(times),
      minMs: min(times),
    }));
    console.log(
      `\ninspect (readModelInfo), ${REPS} repetitions after ${WARMUP} warm-up, page cache warm, alternating:`,
    );
    console.log("model   file size        median ms   mean ms   min ms");
    for (const r of rows) {
      console.log(
        `${r.label.padEnd(7)} ${formatBytes(r.bytes).padEnd(15)} ${r.medianMs.toFixed(3).padStart(10)} ${r.meanMs.toFixed(3).padStart(9)} ${r.minMs.toFixed(3).padStart(8)}`,
      );
    }
    const [small, large] = rows;
    if (small && large) {
      console.log(
        `\nsize ratio large/small: ${(large.bytes / small.bytes).toFixed(0)}x; ` +
          `time ratio large/small (median): ${(large.medianMs / small.medianMs).toFixed(2)}`,
      );
    }
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
