import type { LlamaContext, LlamaModel } from "node-llama-cpp";
import { GgufBenchError } from "../errors.ts";
import { planChunks } from "../quality/chunkPlan.ts";
import { QualityAccumulator } from "../quality/qualityAccumulator.ts";
import { readQualityText } from "../quality/qualityText.ts";
import { chooseTopK, ReferenceWriter } from "../quality/referenceFile.ts";
import { referencePosition } from "../quality/referencePosition.ts";
import type { ReferencePosition } from "../quality/scorePosition.ts";
import type { ReferenceOutcome } from "../results/types.ts";
import { createCaseContext } from "./createCaseContext.ts";
import { evaluateQualityChunks } from "./evaluateQualityChunks.ts";
import type { LlamaLogSink } from "./llamaLogSink.ts";
import { openBackend } from "./openBackend.ts";
import { bosPrefix } from "./promptTokens.ts";
import type { ReferenceJob } from "./protocol.ts";
import { toStageError } from "./stageError.ts";
import type { WorkerChannel } from "./workerChannel.ts";

/**
 * The reference pass of `run --quality --reference`: loads the reference model (nothing is measured), tokenises
 * the text as llama-perplexity does (BOS + the text), evaluates it chunk by chunk exactly as the quality stage will
 * evaluate each model, and writes the distributions file (its top K tokens per position, see referenceFile.ts).
 * Sends `ready`, progress, one `reference` with the outcome (an error is an outcome), then `done`.
 */
export async function referencePass(channel: WorkerChannel, job: ReferenceJob, log: LlamaLogSink): Promise<void> {
  let outcome: ReferenceOutcome;
  try {
    const backend = await openBackend(log, job.gpuLayers > 0);
    await channel.post(backend.ready);
    await channel.post({ type: "stage", stage: "quality", caseIndex: null, detail: `reference ${job.label}` });
    let model: LlamaModel | null = null;
    let context: LlamaContext | null = null;
    try {
      log.clear();
      model = await backend.llama.loadModel({ modelPath: job.file, useMmap: job.mmap, gpuLayers: job.gpuLayers });
      const batchSize = Math.min(job.settings.batchSize, job.contextSize);
      context = await createCaseContext(
        model,
        { ...job.settings, batchSize, ubatchSize: batchSize },
        job.contextSize,
        log,
      );
      outcome = await writeReference(channel, job, model, context);
    } finally {
      await context?.dispose();
      await model?.dispose();
      await backend.llama.dispose();
    }
  } catch (error) {
    const { code, message } = toStageError("quality", "reference-failed", error, { log, file: job.file });
    outcome = { status: "error", code, message: `reference ${job.label}: ${message}` };
  }
  await channel.post({ type: "reference", outcome });
  await channel.post({ type: "done" });
}

async function writeReference(
  channel: WorkerChannel,
  job: ReferenceJob,
  model: LlamaModel,
  context: LlamaContext,
): Promise<ReferenceOutcome> {
  const started = performance.now();
  const tokens = [...bosPrefix(model), ...model.tokenize(readQualityText(job.textFile))];
  const plan = planChunks(tokens.length, job.contextSize);
  const used = tokens.slice(0, plan.tokensUsed);
  const positions = plan.chunks * plan.positionsPerChunk;
  const accumulator = new QualityAccumulator();
  let writer: ReferenceWriter | null = null;
  let topK = 0;
  let vocabSize = 0;
  let restMass = 0;
  let pending: ReferencePosition[] = [];
  try {
    await evaluateQualityChunks(
      context.getSequence(),
      used,
      plan,
      bosPrefix(model)[0] ?? null,
      null,
      async (chunk, index, distribution, nextToken) => {
        if (writer === null) {
          vocabSize = distribution.logProbs.length;
          const k = chooseTopK(vocabSize, positions, plan.tokensUsed);
          if (k === null)
            throw new GgufBenchError(
              "text-too-long",
              `${positions} scored positions do not fit a bounded reference file; use a shorter --quality-text`,
            );
          topK = k;
          writer = new ReferenceWriter(job.outFile, topK, used);
        }
        const position = referencePosition(distribution, nextToken, topK);
        accumulator.addNll(-(distribution.logProbs[nextToken] as number));
        if (position.restLogProb > Number.NEGATIVE_INFINITY) restMass += Math.exp(position.restLogProb);
        pending.push(position);
        if (index === plan.positionsPerChunk - 1) {
          writer.append(pending);
          pending = [];
          await channel.post({
            type: "stage",
            stage: "quality",
            caseIndex: null,
            detail: `reference ${job.label}: chunk ${chunk + 1}/${plan.chunks}`,
          });
        }
      },
    );
    const finished = writer as ReferenceWriter | null;
    if (finished === null) throw new Error("the reference pass scored no position");
    const ppl = accumulator.perplexity();
    const meanRestMass = restMass / ppl.scoredTokens;
    const fileBytes = finished.finish({
      vocabSize,
      contextSize: plan.contextSize,
      chunks: plan.chunks,
      firstScored: plan.firstScored,
      positionsPerChunk: plan.positionsPerChunk,
      topK,
      bosToken: bosPrefix(model)[0] ?? null,
      textTokens: tokens.length,
      tokenCount: plan.tokensUsed,
      model: {
        file: job.file,
        label: job.label,
        fingerprint: job.fingerprint,
        vocabularyFingerprint: job.vocabularyFingerprint,
      },
      textSha256: job.textSha256,
      perplexity: ppl.perplexity,
      perplexityStandardError: ppl.standardError,
      meanRestMass,
    });
    return {
      status: "ok",
      vocabSize,
      textTokens: tokens.length,
      chunks: plan.chunks,
      scoredTokens: ppl.scoredTokens,
      topK,
      meanRestMass,
      perplexity: ppl.perplexity,
      perplexityStandardError: ppl.standardError,
      fileBytes,
      durationMs: performance.now() - started,
    };
  } catch (error) {
    (writer as ReferenceWriter | null)?.abandon();
    throw error;
  }
}
