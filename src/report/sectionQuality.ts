import type { ReportAnalysis } from "../analysis/caseAnalysis.ts";
import type { QualityTradeoff } from "../analysis/qualityTradeoffs.ts";
import type { RunResults } from "../results/types.ts";
import { formatDuration, formatGiB, formatMiB, formatNumber, formatPercent, GIB } from "./formatValue.ts";
import { tradeoffChart } from "./qualityCharts.ts";
import { type Block, type Cell, emptyCell, numberCell, type TableBlock, textCell } from "./reportDocument.ts";

const nats = (value: number) => formatNumber(value, 6);
const fileSize = (bytes: number) => (bytes >= GIB ? formatGiB(bytes, 2) : formatMiB(bytes, 2));
const withError = (value: string, error: string | null) => (error === null ? value : `${value} ± ${error}`);

/**
 * Quality (run --quality): per model perplexity and the KL-divergence figures against the named reference, the
 * models not measured and why (synthetic models: random weights); per reference, the speed–memory–quality
 * trade-off as a table and two charts with the Pareto-optimal files marked, and the smallest file within the
 * quality budget. Nothing when no run measured quality.
 */
export function qualitySection(runs: RunResults[], analysis: ReportAnalysis): Block[] {
  const withQuality = analysis.cases.filter((c) => c.model.quality);
  if (withQuality.length === 0) return [];
  const blocks: Block[] = [{ kind: "heading", level: 2, text: "Quality: perplexity and KL divergence" }];
  for (const run of runs) {
    const q = run.config.quality;
    if (!q) continue;
    const text = q.textSource === "built-in" ? "the built-in text" : q.textSource;
    const outcome = q.reference?.outcome;
    const reference =
      q.reference === null
        ? " No reference: perplexity only, each model on its own tokenisation."
        : outcome?.status === "ok"
          ? ` Reference ${q.reference.label}: perplexity ${withError(formatNumber(outcome.perplexity, 4), outcome.perplexityStandardError === null ? null : formatNumber(outcome.perplexityStandardError, 4))}, ${formatNumber(outcome.textTokens)} tokens of its vocabulary of ${formatNumber(outcome.vocabSize)}, ${outcome.topK === outcome.vocabSize ? "every token's probability kept (exact KLD)" : `its ${formatNumber(outcome.topK)} most likely tokens kept per position (mean mass outside ${formatPercent(outcome.meanRestMass, 3)})`}; distributions in ${q.reference.distributionsFile}.`
          : ` Reference ${q.reference.label}: its distributions could not be computed (${outcome?.status === "error" ? outcome.message : "not run"}).`;
    blocks.push({
      kind: "paragraph",
      text: `Scored as llama-perplexity scores it: ${text} (${formatNumber(q.textCharacters)} characters, sha256 ${q.textSha256.slice(0, 12)}…, kept as ${q.textFile}) in chunks of ${formatNumber(q.contextSize)} tokens, each from an empty KV cache with BOS first, the second half of each chunk scored.${reference}`,
    });
  }
  blocks.push(perModelTable(withQuality));
  const notMeasured = withQuality.flatMap((c) => {
    const q = c.model.quality;
    if (q?.status === "skipped") return [`${c.name}: ${q.reason}`];
    if (q?.status === "error") return [`${c.name}: not measured (${q.code}): ${q.message}`];
    return [];
  });
  if (notMeasured.length > 0)
    blocks.push({ kind: "paragraph", text: "Not measured:" }, { kind: "list", items: notMeasured });
  for (const [index, tradeoff] of analysis.quality.entries()) blocks.push(...tradeoffBlocks(tradeoff, index));
  blocks.push({
    kind: "list",
    items: [
      "PPL: exp(mean negative log-likelihood of each scored next token), ± its standard error.",
      "Mean KLD: KL(reference ‖ model) per scored token in nats, ± standard error; median, 99th percentile and maximum over the positions. Tokens with reference probability ≤ e^−16 are left out, as llama-perplexity does.",
      "Same top: how often the model's most likely next token is the reference's. RMS Δp: root mean square of the change in probability of the text's actual next token.",
      "Stage: the quality stage's time per scored token (tokenising, evaluating, scoring) and its peak RSS, in the same process as the rest of the model's figures.",
    ],
  });
  return blocks;
}

function perModelTable(cases: ReportAnalysis["cases"]): TableBlock {
  const measured = cases.filter((c) => c.model.quality?.status === "ok");
  const column = (label: string, numeric = true) => ({ label, numeric });
  return {
    kind: "table",
    id: "quality-per-model",
    columns: [
      column("Model", false),
      column("File size"),
      column("PPL"),
      column("Reference", false),
      column("Mean KLD"),
      column("Median KLD"),
      column("99% KLD"),
      column("Max KLD"),
      column("Same top"),
      column("RMS Δp"),
      column("Scored tokens"),
      column("Stage time/token"),
      column("Stage peak"),
    ],
    rows: measured.map((c): Cell[] => {
      const q = c.model.quality;
      if (q?.status !== "ok") return [textCell(c.name)];
      const k = q.kld;
      const se = (value: number | null) => (value === null ? null : nats(value));
      return [
        textCell(c.name),
        numberCell(fileSize(c.model.info.fileBytes), c.model.info.fileBytes),
        numberCell(
          withError(
            formatNumber(q.perplexity, 4),
            q.perplexityStandardError === null ? null : formatNumber(q.perplexityStandardError, 4),
          ),
          q.perplexity,
        ),
        k ? textCell(k.referenceLabel) : textCell("none"),
        k ? numberCell(withError(nats(k.meanNats), se(k.standardErrorNats)), k.meanNats) : emptyCell,
        k ? numberCell(nats(k.medianNats), k.medianNats) : emptyCell,
        k ? numberCell(nats(k.p99Nats), k.p99Nats) : emptyCell,
        k ? numberCell(nats(k.maxNats), k.maxNats) : emptyCell,
        k ? numberCell(formatPercent(k.sameTopFraction, 2), k.sameTopFraction) : emptyCell,
        k ? numberCell(formatPercent(k.rmsDeltaP, 3), k.rmsDeltaP) : emptyCell,
        numberCell(formatNumber(q.scoredTokens), q.scoredTokens),
        numberCell(formatDuration(q.msPerScoredToken), q.msPerScoredToken),
        numberCell(formatGiB(q.peakRssBytes, 3), q.peakRssBytes),
      ];
    }),
  };
}

function tradeoffBlocks(t: QualityTradeoff, index: number): Block[] {
  const budget = `mean KLD ≤ ${formatNumber(t.maxKldNats, 4)} nats against ${t.referenceLabel}`;
  const pick = t.recommended;
  const recommendation = pick
    ? `Recommended: ${pick.name} — the smallest file within the quality budget (${budget}): ${fileSize(pick.fileBytes)}, mean KLD ${nats(pick.kld.meanNats)}${pick.generationTokensPerSecond === null ? "" : `, ${formatNumber(pick.generationTokensPerSecond, 2)} generated tokens/s`}${pick.peakRssBytes === null ? "" : `, peak ${formatGiB(pick.peakRssBytes, 3)}`}.`
    : `No file is within the quality budget (${budget})${t.closest ? `; the closest is ${t.closest.name} with mean KLD ${nats(t.closest.kld.meanNats)}` : ""}.`;
  const mark = (yes: boolean, measured: boolean) => textCell(!measured ? "not measured" : yes ? "yes" : "no");
  const front = (yes: boolean) => (yes ? "Pareto-optimal" : "dominated");
  const table: TableBlock = {
    kind: "table",
    id: `quality-tradeoff-${index + 1}`,
    columns: [
      { label: "Model", numeric: false },
      { label: "File size", numeric: true },
      { label: "Mean KLD", numeric: true },
      { label: "PPL", numeric: true },
      { label: "Generation tokens/s", numeric: true },
      { label: "Peak memory", numeric: true },
      { label: "Pareto: KLD vs speed", numeric: false },
      { label: "Pareto: KLD vs memory", numeric: false },
    ],
    rows: t.points.map((p): Cell[] => [
      textCell(p === pick ? `${p.name} (recommended)` : p.name),
      numberCell(fileSize(p.fileBytes), p.fileBytes),
      numberCell(nats(p.kld.meanNats), p.kld.meanNats),
      numberCell(formatNumber(p.perplexity, 4), p.perplexity),
      p.generationTokensPerSecond === null
        ? emptyCell
        : numberCell(formatNumber(p.generationTokensPerSecond, 2), p.generationTokensPerSecond),
      p.peakRssBytes === null ? emptyCell : numberCell(formatGiB(p.peakRssBytes, 3), p.peakRssBytes),
      mark(p.paretoSpeed, p.generationTokensPerSecond !== null),
      mark(p.paretoMemory, p.peakRssBytes !== null),
    ]),
  };
  const speedRows = t.points.flatMap((p) =>
    p.generationTokensPerSecond === null
      ? []
      : [{ model: p.name, x: p.generationTokensPerSecond, kld: p.kld.meanNats, front: front(p.paretoSpeed) }],
  );
  const memoryRows = t.points.flatMap((p) =>
    p.peakRssBytes === null
      ? []
      : [{ model: p.name, x: p.peakRssBytes / GIB, kld: p.kld.meanNats, front: front(p.paretoMemory) }],
  );
  return [
    { kind: "heading", level: 3, text: `Speed, memory and quality against ${t.referenceLabel}` },
    { kind: "paragraph", text: recommendation },
    table,
    {
      kind: "paragraph",
      text: "Pareto-optimal: no other file is at least as good on both — mean KLD and generation speed, or mean KLD and peak memory — and better on one. Generation speed and peak memory are the inference stage's, as in the summary; file size is the GGUF file's.",
    },
    {
      kind: "chart",
      id: `quality-vs-speed-${index + 1}`,
      title: `Mean KLD against ${t.referenceLabel} vs generation speed (tokens/s); Pareto-optimal files joined`,
      spec: tradeoffChart(speedRows, "Generation speed (tokens/s)"),
    },
    {
      kind: "chart",
      id: `quality-vs-memory-${index + 1}`,
      title: `Mean KLD against ${t.referenceLabel} vs peak memory (GiB); Pareto-optimal files joined`,
      spec: tradeoffChart(memoryRows, "Peak memory (GiB)"),
    },
  ];
}
