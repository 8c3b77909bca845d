import Table from "cli-table3";
import { tokenizerKind } from "../gguf/modelInfoRows.ts";
import { formatGiB, formatMiBOrKiB, formatNumber, formatSignedPercent, KIB, MIB } from "../report/formatValue.ts";
import { printable } from "../text/printable.ts";
import {
  CONTEXT_OVERHEAD_BYTES,
  CONTEXT_OVERHEAD_PER_VOCAB_TOKEN_BYTES,
  GLIBC_MMAP_THRESHOLD_MAX_BYTES,
  MODEL_OVERHEAD_FIXED_BYTES,
  MODEL_OVERHEAD_PER_MERGE_BYTES,
  MODEL_OVERHEAD_PER_VOCAB_TOKEN_BYTES,
} from "./estimateMemory.ts";
import type { EstimateReport, Fit } from "./runEstimate.ts";

const FIT_TEXT: Record<Fit, string> = {
  fits: "yes",
  tight: "tight (>90%)",
  "does-not-fit": "NO",
  unknown: "unknown",
};

/** The estimate as plain text for a terminal (no colours: it is pasted into issues too). */
export function renderEstimate(report: EstimateReport): string {
  const { info, settings, machine } = report;
  const lines: string[] = [];
  // A what-if shape's name is its label, which stands in for the file.
  const name = info.name && info.name !== report.file ? `${printable(info.name)} — ` : "";
  lines.push(`Memory estimate for ${name}${printable(report.file)}`);
  lines.push(
    `${info.architecture}, ${info.quantization}, ${formatNumber(info.parameterCount)} parameters, file ${info.fileBytes < 1024 ** 3 ? formatMiBOrKiB(info.fileBytes) : formatGiB(info.fileBytes)}` +
      (info.contextLength === null ? "" : `, trained for ${formatNumber(info.contextLength)} tokens`),
  );
  lines.push(
    `settings: KV cache ${settings.kvCacheType}, flash attention ${settings.flashAttention ? "on" : "off"}, ` +
      `batch ${settings.batchSize}, ${microBatchText(report)}, mmap ${settings.mmap ? "on" : "off"}; ` +
      `weights repacked on this CPU: ${machine.repackTypes.length > 0 ? machine.repackTypes.join(", ") : "none"}`,
  );
  if (info.tokenizer) lines.push(`tokenizer ${tokenizerText(info.tokenizer)} (in the model's bookkeeping)`);
  lines.push(`runtime baseline ${formatMiBOrKiB(machine.runtimeBaselineBytes)} (${machine.runtimeBaselineSource})`);
  lines.push(`available memory ${formatGiB(machine.availableBytes)} (${machine.availableSource})`);

  const table = new Table({
    head: ["Context", "Weights", "KV cache", "Compute", "Runtime + overhead", "Total (peak RSS)", "Fits"],
    style: { head: [], border: [] },
  });
  for (const e of report.estimates) {
    const usedMapped = e.weightsFileBackedBytes - e.weightsLoadOnlyMappedBytes;
    const weights =
      e.weightsAnonymousBytes > 0 && e.weightsFileBackedBytes > 0
        ? `${formatMiBOrKiB(usedMapped)} mapped` +
          (e.weightsLoadOnlyMappedBytes > 0 ? `\n+ ${formatMiBOrKiB(e.weightsLoadOnlyMappedBytes)} load-only` : "") +
          `\n+ ${formatMiBOrKiB(e.weightsAnonymousBytes)} repacked`
        : formatMiBOrKiB(e.weightsFileBackedBytes + e.weightsAnonymousBytes);
    const context =
      `${formatNumber(e.contextSize)}` +
      (e.kvCells !== e.contextSize ? ` (${formatNumber(e.kvCells)} cells)` : "") +
      (e.slidingWindowCells !== null ? `\nSWA ${formatNumber(e.slidingWindowCells)} cells` : "") +
      (e.beyondTrainingContext ? "\nbeyond training" : "");
    table.push([
      context,
      weights,
      e.kvCacheBytes === null ? "unknown" : formatMiBOrKiB(e.kvCacheBytes),
      e.computeResidentBytes === null || e.computeReservedBytes === null
        ? "unknown"
        : `${formatMiBOrKiB(e.computeResidentBytes)}\n(${formatMiBOrKiB(e.computeReservedBytes)} reserved)`,
      formatMiBOrKiB(e.runtimeBaselineBytes + e.modelOverheadBytes + e.contextOverheadBytes),
      e.totalBytes === null || e.requiredBytes === null
        ? "unknown"
        : formatMiBOrKiB(e.totalBytes) +
          (e.totalBytes > machine.availableBytes ? " (above available)" : "") +
          (e.allocatorRetentionBytes > 0 ? `\n(+ up to ${formatMiBOrKiB(e.allocatorRetentionBytes)} glibc)` : "") +
          (e.weightsLoadOnlyMappedBytes > 0 ? `\n${formatMiBOrKiB(e.requiredBytes)} must stay` : ""),
      FIT_TEXT[e.fit],
    ]);
  }
  lines.push(table.toString());
  const unknown = report.estimates.find((e) => e.kvUnknownReason !== null)?.kvUnknownReason;
  if (unknown) lines.push(`KV cache unknown: ${printable(unknown)}. The total and the fit cannot be predicted.`);
  lines.push(...columnNotes(report));

  if (report.measured) {
    const m = report.measured;
    lines.push("");
    lines.push(`Measured before: run ${m.runId.slice(0, 8)} (${m.startedAt}), case ${printable(m.caseId)}`);
    const compared = new Table({
      head: ["Context", "Predicted", "Measured peak RSS", "Error", "Error beyond glibc's retention"],
      style: { head: [], border: [] },
    });
    for (const row of m.rows) {
      compared.push([
        formatNumber(row.contextSize),
        formatMiBOrKiB(row.predictedBytes),
        formatMiBOrKiB(row.measuredPeakRssBytes),
        formatSignedPercent(row.errorPercent),
        formatSignedPercent(row.errorBeyondRetentionPercent),
      ]);
    }
    lines.push(compared.toString());
    lines.push("Predicted with that case's own pre-load RSS and prompt lengths.");
  }
  return lines.join("\n");
}

/**
 * What each column means, under the table, a few words each (lines of at most 120 characters); a marker's
 * explanation only when the marker is in the table. The bookkeeping figures come from estimateMemory's constants.
 */
function columnNotes(report: EstimateReport): string[] {
  const { settings, estimates } = report;
  const loadOnly = estimates.some((e) => e.weightsLoadOnlyMappedBytes > 0);
  const context = [
    "tokens asked",
    ...(estimates.some((e) => e.kvCells !== e.contextSize) ? ["(N cells) = KV cells, padded to 256"] : []),
    ...(estimates.some((e) => e.slidingWindowCells !== null) ? ["SWA = sliding-window cells"] : []),
  ];
  const weights = !settings.mmap
    ? "read into the process's own memory (mmap off), repacked ones into CPU_REPACK"
    : loadOnly
      ? "mapped = file pages used; load-only = repacked weights' file pages, read at load; repacked = CPU_REPACK copies"
      : "mapped = file pages used (page cache); repacked = anonymous copies in this CPU's layout (CPU_REPACK)";
  const notes = [
    `Context: ${context.join("; ")}. KV cache: K and V, all layers (+ recurrent state).`,
    `Weights: ${weights}.`,
    "Compute: resident = pages a full prompt touches + matmul work buffer (can exceed reserved); reserved = sized at load.",
    `Runtime + overhead: RSS before loading + model bookkeeping (${modelOverheadText()})`,
    `  + the context's (logits, threads: ${contextOverheadText()}).`,
    "Total (peak RSS): expected peak while a prompt fills the context, as `run` measures. Fits: vs available memory.",
  ];
  if (loadOnly) notes.push("  N MiB must stay: the total minus the load-only pages; Fits is judged on it.");
  if (estimates.some((e) => e.totalBytes !== null && e.totalBytes > report.machine.availableBytes)) {
    notes.push(
      "  (above available): the total exceeds available memory; the kernel drops mapped pages first (Fits: what must stay).",
    );
  }
  if (estimates.some((e) => e.allocatorRetentionBytes > 0)) {
    notes.push(
      `  (+ up to N MiB glibc): freed work buffers under ${formatBytes(GLIBC_MMAP_THRESHOLD_MAX_BYTES)} ` +
        "glibc may keep resident (its dynamic mmap threshold).",
    );
  }
  return notes;
}

/** "about 0.65 KiB per token + 0.46 KiB per BPE merge + 8 MiB" (tokens of the vocabulary), from estimateMemory's constants. */
function modelOverheadText(): string {
  return `about ${formatBytes(MODEL_OVERHEAD_PER_VOCAB_TOKEN_BYTES)} per token + ${formatBytes(MODEL_OVERHEAD_PER_MERGE_BYTES)} per BPE merge + ${formatBytes(MODEL_OVERHEAD_FIXED_BYTES)}`;
}

/** "about 6 MiB + 4 bytes per vocabulary token", from estimateMemory's constants. */
function contextOverheadText(): string {
  return `about ${formatBytes(CONTEXT_OVERHEAD_BYTES)} + ${formatBytes(CONTEXT_OVERHEAD_PER_VOCAB_TOKEN_BYTES)} per vocabulary token`;
}

/** "gpt2 (byte-level BPE), 128,256 tokens, 280,147 merges": the stored model (made printable) and its counts. */
function tokenizerText(tokenizer: NonNullable<EstimateReport["info"]["tokenizer"]>): string {
  const kind = tokenizer.model === null ? "not stated" : printable(tokenizer.model, 40);
  const known = tokenizerKind(tokenizer.model);
  const tokens = tokenizer.tokenCount === null ? "" : `, ${formatNumber(tokenizer.tokenCount)} tokens`;
  const merges = tokenizer.mergeCount > 0 ? `, ${formatNumber(tokenizer.mergeCount)} merges` : "";
  return `${kind}${known ? ` (${known})` : ""}${tokens}${merges}`;
}

/** A constant in as few digits as it has: "8 MiB" from half a MiB, "0.46 KiB" from a quarter KiB, "4 bytes". */
function formatBytes(bytes: number): string {
  const [value, unit] =
    bytes >= MIB / 2 ? [bytes / MIB, "MiB"] : bytes >= KIB / 4 ? [bytes / KIB, "KiB"] : [bytes, "bytes"];
  return `${Number(value.toFixed(2))} ${unit}`;
}

/**
 * The n_ubatch the estimate assumed: node-llama-cpp runs batch + 1 for sliding-window models, and llama.cpp caps it
 * at the context's cells.
 */
function microBatchText(report: EstimateReport): string {
  const ubatches = [...new Set(report.estimates.map((e) => e.ubatch))].sort((a, b) => a - b);
  const range = ubatches.length > 1 ? `${ubatches[0]}–${ubatches.at(-1)}` : `${ubatches[0]}`;
  const why = [
    ...(ubatches.length > 1 ? ["capped at the context"] : []),
    ...(ubatches.includes(report.settings.batchSize + 1)
      ? ["batch + 1: node-llama-cpp's rule for sliding-window models"]
      : []),
  ];
  return `micro-batch (n_ubatch) ${range}${why.length > 0 ? ` (${why.join("; ")})` : ""}`;
}
