import Table from "cli-table3";
import { formatGiB, formatMiB, formatNumber, formatSignedPercent } from "../report/formatValue.ts";
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
  const name = info.name ? `${printable(info.name)} — ` : "";
  lines.push(`Memory estimate for ${name}${printable(report.file)}`);
  lines.push(
    `${info.architecture}, ${info.quantization}, ${formatNumber(info.parameterCount)} parameters, file ${info.fileBytes < 1024 ** 3 ? formatMiB(info.fileBytes) : formatGiB(info.fileBytes)}` +
      (info.contextLength === null ? "" : `, trained for ${formatNumber(info.contextLength)} tokens`),
  );
  lines.push(
    `settings: KV cache ${settings.kvCacheType}, flash attention ${settings.flashAttention ? "on" : "off"}, ` +
      `batch ${settings.batchSize}, mmap ${settings.mmap ? "on" : "off"}; ` +
      `weights repacked on this CPU: ${machine.repackTypes.length > 0 ? machine.repackTypes.join(", ") : "none"}`,
  );
  lines.push(`runtime baseline ${formatMiB(machine.runtimeBaselineBytes)} (${machine.runtimeBaselineSource})`);
  lines.push(`available memory ${formatGiB(machine.availableBytes)} (${machine.availableSource})`);

  const table = new Table({
    head: ["Context", "Weights", "KV cache", "Compute", "Runtime + overhead", "Total (peak RSS)", "Fits"],
    style: { head: [], border: [] },
  });
  for (const e of report.estimates) {
    const usedMapped = e.weightsFileBackedBytes - e.weightsLoadOnlyMappedBytes;
    const weights =
      e.weightsAnonymousBytes > 0 && e.weightsFileBackedBytes > 0
        ? `${formatMiB(usedMapped)} mapped` +
          (e.weightsLoadOnlyMappedBytes > 0 ? `\n+ ${formatMiB(e.weightsLoadOnlyMappedBytes)} load-only` : "") +
          `\n+ ${formatMiB(e.weightsAnonymousBytes)} repacked`
        : formatMiB(e.weightsFileBackedBytes + e.weightsAnonymousBytes);
    const context =
      `${formatNumber(e.contextSize)}` +
      (e.kvCells !== e.contextSize ? ` (${formatNumber(e.kvCells)} cells)` : "") +
      (e.slidingWindowCells !== null ? `\nSWA ${formatNumber(e.slidingWindowCells)} cells` : "") +
      (e.beyondTrainingContext ? "\nbeyond training" : "");
    table.push([
      context,
      weights,
      e.kvCacheBytes === null ? "unknown" : formatMiB(e.kvCacheBytes),
      `${formatMiB(e.computeResidentBytes)}\n(${formatMiB(e.computeReservedBytes)} reserved)`,
      formatMiB(e.runtimeBaselineBytes + e.modelOverheadBytes + e.contextOverheadBytes),
      e.totalBytes === null || e.requiredBytes === null
        ? "unknown"
        : formatMiB(e.totalBytes) +
          (e.allocatorRetentionBytes > 0 ? `\n(+ up to ${formatMiB(e.allocatorRetentionBytes)} glibc)` : "") +
          (e.weightsLoadOnlyMappedBytes > 0 ? `\n${formatMiB(e.requiredBytes)} must stay` : ""),
      FIT_TEXT[e.fit],
    ]);
  }
  lines.push(table.toString());
  const unknown = report.estimates.find((e) => e.kvUnknownReason !== null)?.kvUnknownReason;
  if (unknown) lines.push(`KV cache unknown: ${printable(unknown)}. The total and the fit cannot be predicted.`);
  lines.push(
    "Total: expected peak resident memory of the benchmark's process while a prompt fills the context." +
      (settings.mmap
        ? " Mapped weights are page cache: under pressure the kernel can drop them (and reads slow down)."
        : ""),
  );
  if (report.estimates.some((e) => e.weightsLoadOnlyMappedBytes > 0)) {
    lines.push(
      "load-only: the mapped file pages of the repacked weights; loading reads them once and the repacked copy is " +
        "used after, so the kernel drops them freely. They count in the total (resident at the peak unless memory " +
        "is short), not in what must stay.",
    );
  }
  lines.push(
    `Fits: ${report.estimates.some((e) => e.weightsLoadOnlyMappedBytes > 0) ? "what must stay" : "the total"} ` +
      `against the available memory; "tight" above 90% of it.`,
  );
  if (report.estimates.some((e) => e.allocatorRetentionBytes > 0)) {
    lines.push(
      "+ up to … glibc: the work buffers smaller than 32 MiB that the prompt outgrew and freed; glibc may keep them " +
        "resident (its dynamic mmap threshold), depending on what the process allocated before.",
    );
  }

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
        formatMiB(row.predictedBytes),
        formatMiB(row.measuredPeakRssBytes),
        formatSignedPercent(row.errorPercent),
        formatSignedPercent(row.errorBeyondRetentionPercent),
      ]);
    }
    lines.push(compared.toString());
    lines.push("Predicted with that case's own pre-load RSS and prompt lengths.");
  }
  return lines.join("\n");
}
