import type { LlamaModel } from "node-llama-cpp";
import { planChunks } from "../quality/chunkPlan.ts";
import { QualityAccumulator } from "../quality/qualityAccumulator.ts";
import { readQualityText } from "../quality/qualityText.ts";
import { type ReferenceFile, readReferenceFile } from "../quality/readReferenceFile.ts";
import type { ReferencePosition } from "../quality/scorePosition.ts";
import { scorePosition } from "../quality/scorePosition.ts";
import type { CaseSettings, QualityResult } from "../results/types.ts";
import { createCaseContext } from "./createCaseContext.ts";
import { evaluateQualityChunks } from "./evaluateQualityChunks.ts";
import type { PeakTracker } from "./peakTracker.ts";
import { bosPrefix } from "./promptTokens.ts";
import { toStageError } from "./stageError.ts";
import type { WorkerSession } from "./workerSession.ts";

/**
 * Quality stage (after the last case's context windows, same child, same loaded model): perplexity over the
 * quality text as llama-perplexity computes it, and with reference distributions the KL divergence figures of its
 * --kl-divergence mode, on the reference's tokens. One fresh context of `contextSize` tokens with the first case's
 * settings (batch size capped at the chunk, as llama-perplexity caps n_batch at n_ctx). Memory: the peak is reset
 * at the start and read at the end. Always sends one `quality` message (an error is a result).
 */
export async function qualityStage(
  session: WorkerSession,
  model: LlamaModel,
  settings: CaseSettings,
  peaks: PeakTracker,
): Promise<void> {
  const { channel, job } = session;
  if (!job.quality) return;
  const what = job.quality.reference ? `perplexity + KLD vs ${job.quality.reference.label}` : "perplexity";
  await channel.post({ type: "stage", stage: "quality", caseIndex: 0, detail: what });
  let quality: QualityResult;
  try {
    quality = await measureQuality(session, model, settings, peaks);
  } catch (error) {
    const { code, message } = toStageError("quality", "quality-failed", error, { log: session.log });
    quality = { status: "error", code, message };
  }
  await channel.post({ type: "quality", caseIndex: 0, quality });
}

async function measureQuality(
  session: WorkerSession,
  model: LlamaModel,
  settings: CaseSettings,
  peaks: PeakTracker,
): Promise<QualityResult> {
  const { channel, log } = session;
  const quality = session.job.quality;
  if (!quality) throw new Error("no quality job");
  const batchSize = Math.min(settings.batchSize, quality.contextSize);
  let reference: ReferenceFile | null = null;
  await channel.measure(true);
  const started = performance.now();
  const context = await createCaseContext(
    model,
    { ...settings, batchSize, ubatchSize: batchSize },
    quality.contextSize,
    log,
  );
  try {
    let tokens: ArrayLike<number>;
    let textTokens: number;
    if (quality.reference) {
      reference = readReferenceFile(quality.reference.distributionsFile);
      if (reference.header.contextSize !== quality.contextSize)
        throw new Error(`reference chunks of ${reference.header.contextSize} tokens, not ${quality.contextSize}`);
      tokens = reference.tokens;
      textTokens = reference.header.textTokens;
    } else {
      tokens = [...bosPrefix(model), ...model.tokenize(readQualityText(quality.textFile))];
      textTokens = tokens.length;
    }
    const plan = planChunks(quality.reference ? tokens.length : textTokens, quality.contextSize);
    const accumulator = new QualityAccumulator();
    let referenceChunk: ReferencePosition[] = [];
    let loadedChunk = -1;
    log.clear();
    await evaluateQualityChunks(
      context.getSequence(),
      tokens,
      plan,
      bosPrefix(model)[0] ?? null,
      reference?.header.vocabSize ?? null,
      (chunk, index, distribution, nextToken) => {
        if (!reference) {
          accumulator.addNll(-(distribution.logProbs[nextToken] as number));
          return;
        }
        if (chunk !== loadedChunk) {
          referenceChunk = reference.readChunk(chunk);
          loadedChunk = chunk;
        }
        const position = referenceChunk[index];
        if (!position) throw new Error(`the reference has no position ${index} in chunk ${chunk}`);
        accumulator.add(scorePosition(position, distribution, nextToken));
      },
    );
    const durationMs = performance.now() - started;
    const end = await channel.measure(false);
    peaks.observe(end.peakRssBytes);
    const ppl = accumulator.perplexity();
    const kld = accumulator.kld();
    const notes: string[] = [];
    if (reference && reference.header.topK < reference.header.vocabSize)
      notes.push(
        `KLD over the reference's ${reference.header.topK} most likely tokens of ${reference.header.vocabSize} plus one bucket for the rest (mean mass outside: ${(100 * reference.header.meanRestMass).toPrecision(2)}%)`,
      );
    return {
      status: "ok",
      contextSize: quality.contextSize,
      batchSize,
      textTokens,
      chunks: plan.chunks,
      scoredTokens: ppl.scoredTokens,
      tokensFrom: reference ? "reference" : "model",
      durationMs,
      msPerScoredToken: durationMs / ppl.scoredTokens,
      peakRssBytes: end.peakRssBytes,
      perplexity: ppl.perplexity,
      perplexityStandardError: ppl.standardError,
      kld:
        kld && quality.reference
          ? { referenceLabel: quality.reference.label, referenceFingerprint: quality.reference.fingerprint, ...kld }
          : null,
      notes,
    };
  } finally {
    reference?.close();
    await context.dispose();
  }
}
