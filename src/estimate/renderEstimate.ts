import Table from "cli-table3";
import { formatGiB, formatMiBOrKiB, formatNumber, formatSignedPercent } from "../report/formatValue.ts";
import { printable } from "../text/printable.ts";
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
      `${formatMiBOrKiB(e.computeResidentBytes)}\n(${formatMiBOrKiB(e.computeReservedBytes)} reserved)`,
      formatMiBOrKiB(e.runtimeBaselineBytes + e.modelOverheadBytes + e.contextOverheadBytes),
      e.totalBytes === null || e.requiredBytes === null
        ? "unknown"
        : formatMiBOrKiB(e.totalBytes) +
          (e.allocatorRetentionBytes > 0 ? `\n(+ up to ${formatMiBOrKiB(e.allocatorRetentionBytes)} glibc)` : "") +
          (e.weightsLoadOnlyMappedBytes > 0 ? `\n${formatMiBOrKiB(e.requiredBytes)} must stay` : "") +
          (e.totalBytes > machine.availableBytes ? "\n(above available)" : ""),
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

/** What each column means, under the table: only the notes that apply to the rows shown. */
function columnNotes(report: EstimateReport): string[] {
  const { settings, estimates } = report;
  const loadOnly = estimates.some((e) => e.weightsLoadOnlyMappedBytes > 0);
  const notes = [
    "Context: tokens asked for; (N cells) when llama.cpp allocates more KV cells (padded to 256); SWA: the cells of " +
      "the sliding-window layers' cache.",
    settings.mmap
      ? "Weights: mapped = file pages read while generating (page cache: under pressure the kernel can drop them, " +
        "and reads slow down); repacked = anonymous copies in the layout this CPU's kernels want (CPU_REPACK)."
      : "Weights: read into the process's own memory (mmap off); repacked ones straight into the CPU_REPACK buffer.",
  ];
  if (loadOnly) {
    notes.push(
      "  load-only = the repacked weights' own file pages inside the mapping: loading reads them once and the " +
        "repacked copy is used after, so the kernel drops them freely. In the total, not in what must stay.",
    );
  }
  notes.push(
    "KV cache: K and V of every layer at that many cells (and any recurrent state).",
    "Compute: resident (reserved): reserved = the compute buffer llama.cpp sizes at load for the worst micro-batch " +
      "(address space: only touched pages are resident); resident = the pages of it a prompt filling the context " +
      "touches, plus ggml-cpu's matmul work buffer, allocated apart from the reservation (so resident can exceed " +
      "reserved).",
    "Runtime + overhead: the process's memory before loading (node, node-llama-cpp, llama.cpp: the runtime baseline " +
      "above) + the model's bookkeeping (tokenizer tables, about 0.9 KiB per vocabulary token + 8 MiB) + the " +
      "context's (logits buffer, thread pool, about 6 MiB + 4 bytes per vocabulary token).",
    "Total (peak RSS): the sum, the expected peak resident memory of the benchmark's process while a prompt fills " +
      "the context (what `run` measures)." +
      (loadOnly ? " '… must stay' = the total minus the load-only pages." : ""),
  );
  if (estimates.some((e) => e.totalBytes !== null && e.totalBytes > report.machine.availableBytes)) {
    notes.push(
      "  (above available): not all of it can be resident at once; the kernel drops mapped pages first (load-only " +
        "ones cost nothing), so the measured peak stays below the total.",
    );
  }
  if (estimates.some((e) => e.allocatorRetentionBytes > 0)) {
    notes.push(
      "  + up to … glibc: the work buffers smaller than 32 MiB that the prompt outgrew and freed; glibc may keep them " +
        "resident (its dynamic mmap threshold), depending on what the process allocated before.",
    );
  }
  notes.push(
    `Fits: ${loadOnly ? "what must stay" : "the total"} against the available memory: yes, tight above 90% of it, ` +
      "NO above it.",
  );
  return notes;
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
