import assert from "node:assert/strict";
import { test } from "node:test";
import {
  CONTEXT_OVERHEAD_BYTES,
  CONTEXT_OVERHEAD_PER_VOCAB_TOKEN_BYTES,
  type EstimateSettings,
  MODEL_OVERHEAD_FIXED_BYTES,
  MODEL_OVERHEAD_PER_MERGE_BYTES,
  MODEL_OVERHEAD_PER_VOCAB_TOKEN_BYTES,
} from "../../src/estimate/estimateMemory.ts";
import { renderEstimate } from "../../src/estimate/renderEstimate.ts";
import { type EstimateReport, runEstimate } from "../../src/estimate/runEstimate.ts";

const SETTINGS: EstimateSettings = { kvCacheType: "f16", flashAttention: false, batchSize: 512, mmap: true };

/** The text under the table. */
function legend(report: EstimateReport): string[] {
  const text = renderEstimate(report);
  return text.slice(text.lastIndexOf("┘") + 2).split("\n");
}

test("the legend: a few short lines, the bookkeeping figures from estimateMemory's constants", async () => {
  const report = await runEstimate({ whatIf: "llama:tiny:q8_0" }, [512], SETTINGS, null);
  const lines = legend(report);
  assert.ok(lines.length <= 6, lines.join("\n"));
  for (const line of lines) assert.ok(line.length <= 120, `${line.length} characters: ${line}`);
  const text = lines.join("\n");
  // The figures the rows were computed with, in the words the legend uses.
  const model = `about ${MODEL_OVERHEAD_PER_VOCAB_TOKEN_BYTES / 1024} KiB per token + ${MODEL_OVERHEAD_PER_MERGE_BYTES / 1024} KiB per BPE merge + ${MODEL_OVERHEAD_FIXED_BYTES / 2 ** 20} MiB`;
  const context = `about ${CONTEXT_OVERHEAD_BYTES / 2 ** 20} MiB + ${CONTEXT_OVERHEAD_PER_VOCAB_TOKEN_BYTES} bytes per vocabulary token`;
  assert.ok(text.includes(model), text);
  assert.ok(text.includes(context), text);
  assert.equal(model, "about 0.65 KiB per token + 0.46 KiB per BPE merge + 8 MiB");
  // ...and they are the ones the estimate used: the tiny shape's vocabulary is 512 tokens.
  const [row] = report.estimates;
  assert.equal(
    row?.modelOverheadBytes,
    Math.round(MODEL_OVERHEAD_FIXED_BYTES + MODEL_OVERHEAD_PER_VOCAB_TOKEN_BYTES * 512),
  );
  assert.equal(row?.contextOverheadBytes, CONTEXT_OVERHEAD_BYTES + CONTEXT_OVERHEAD_PER_VOCAB_TOKEN_BYTES * 512);
});

test("a marker's explanation is printed exactly when the marker is in the table", async () => {
  const cases = [
    // 512 tokens: one micro-batch, nothing freed, no cell padding; 4,096 without flash attention: freed work buffers.
    await runEstimate({ whatIf: "llama:tiny:q8_0" }, [512], SETTINGS, null),
    await runEstimate({ whatIf: "llama:tiny:q8_0" }, [500, 4096], SETTINGS, null),
    await runEstimate({ whatIf: "gemma3:tiny:q4_0" }, [1024], { ...SETTINGS, flashAttention: true }, null),
    // Repacked Q4_K experts: their file pages are load-only.
    await runEstimate({ whatIf: "qwen3moe:tiny:q4_k_m" }, [512], SETTINGS, null),
  ];
  const tight = await runEstimate({ whatIf: "llama:tiny:q8_0" }, [512], SETTINGS, null);
  cases.push({ ...tight, machine: { ...tight.machine, availableBytes: 1024 } });
  const markers: [RegExp, RegExp][] = [
    [/\(\+ up to [\d.,]+ MiB glibc\)/, /^ {2}\(\+ up to N MiB glibc\): freed work buffers under 32 MiB/m],
    [
      /\(above available\)/,
      /^ {2}\(above available\): the total exceeds available memory; the kernel drops mapped pages first/m,
    ],
    [/\(\d[\d,]* cells\)/, /\(N cells\) = KV cells, padded to 256/],
    [/SWA [\d,]+ cells/, /SWA = sliding-window cells/],
    [/[\d.,]+ [KM]iB must stay/, /^ {2}N MiB must stay: the total minus the load-only pages/m],
    [/[\d.,]+ [KM]iB load-only/, /load-only = repacked weights' file pages, read at load/],
  ];
  const seen = new Set<RegExp>();
  for (const report of cases) {
    const text = renderEstimate(report);
    const table = text.slice(0, text.lastIndexOf("┘"));
    const notes = legend(report).join("\n");
    for (const [marker, explanation] of markers) {
      assert.equal(explanation.test(notes), marker.test(table), `${marker}\n${text}`);
      if (marker.test(table)) seen.add(marker);
    }
  }
  // Each marker appeared in at least one of the cases, so both directions were checked.
  assert.equal(seen.size, markers.length);
});

test("a context size given twice is one row; a header without a head count prints compute as unknown", async () => {
  const twice = await runEstimate({ whatIf: "llama:tiny:q8_0" }, [1024, 512, 1024], SETTINGS, null);
  assert.deepEqual(
    twice.estimates.map((e) => e.contextSize),
    [1024, 512],
  );
  const [row] = twice.estimates;
  assert.ok(row);
  const unknown = {
    ...twice,
    estimates: [
      {
        ...row,
        computeReservedBytes: null,
        computeResidentBytes: null,
        kvCacheBytes: null,
        totalBytes: null,
        requiredBytes: null,
      },
    ],
  };
  const text = renderEstimate(unknown);
  const cells = text.split("\n").find((line) => line.startsWith("│ 1,024"));
  assert.match(cells ?? "", /│ unknown\s+│/, text);
  assert.doesNotMatch(cells ?? "", /reserved/);
});
