import type { LlamaContext, LlamaModel, Token } from "node-llama-cpp";
import { GgufBenchError } from "../errors.ts";
import { recordedMetrics } from "../metrics/recordedMetrics.ts";
import { fillPromptTokens } from "../prompts/fillPromptTokens.ts";
import type { CaseSettings, ContextResult } from "../results/types.ts";
import { createCaseContext } from "./createCaseContext.ts";
import { bosPrefix } from "./promptTokens.ts";
import { toStageError } from "./stageError.ts";
import { timedGeneration } from "./timedGeneration.ts";
import type { WorkerSession } from "./workerSession.ts";

/**
 * Contexts stage of one case: for each size a fresh context and a prompt of exactly (size − maxTokens)
 * tokens of project prose, counted with the model's own tokenizer, then `maxTokens` generated, so the
 * window ends up full. A size above the training context is skipped unless allowed; a failure is recorded
 * for that size and the next size still runs. Each context is disposed before the next is created.
 */
export async function contextsStage(
  session: WorkerSession,
  model: LlamaModel,
  caseIndex: number,
  settings: CaseSettings,
): Promise<void> {
  const { channel, job } = session;
  const trainingContext = job.trainingContextLength ?? model.trainContextSize;
  for (const contextSize of job.contexts) {
    await channel.post({ type: "stage", stage: "contexts", caseIndex, detail: `${contextSize} tokens` });
    let context: ContextResult;
    if (contextSize > trainingContext && !job.allowBeyondTrainingContext)
      context = {
        contextSize,
        status: "skipped",
        reason: `above the model's training context of ${trainingContext} tokens (--allow-beyond-training-context runs it)`,
      };
    else if (contextSize <= job.maxTokens)
      context = {
        contextSize,
        status: "error",
        code: "context-too-small",
        message: `a context of ${contextSize} tokens leaves no room for a prompt before ${job.maxTokens} generated tokens`,
      };
    else context = await measureContext(session, model, settings, contextSize);
    await channel.post({ type: "context", caseIndex, context });
  }
}

async function measureContext(
  session: WorkerSession,
  model: LlamaModel,
  settings: CaseSettings,
  contextSize: number,
): Promise<ContextResult> {
  const { channel, job, log } = session;
  const promptLength = contextSize - job.maxTokens;
  await channel.measure(true);
  let context: LlamaContext | null = null;
  try {
    context = await createCaseContext(model, settings, contextSize, log);
    const afterCreate = await channel.measure(false);
    const prompt = fillPromptTokens({
      tokenize: (text) => model.tokenize(text),
      targetTokens: promptLength,
      prefix: bosPrefix(model),
    }) as Token[];
    log.clear();
    const timing = await timedGeneration(context.getSequence(), () => prompt, job);
    const end = await channel.measure(false);
    return {
      contextSize,
      status: "ok",
      ...recordedMetrics(timing),
      afterCreateRssBytes: afterCreate.snapshot.vmRssBytes,
      peakRssBytes: end.peakRssBytes,
      endRssBytes: end.snapshot.vmRssBytes,
    };
  } catch (error) {
    // Our own refusals (GgufBenchError) log nothing; llama.cpp's failures may still be logging.
    if (!(error instanceof GgufBenchError)) await log.settle();
    const { code, message } = toStageError("contexts", "generation-failed", error, { log });
    return { contextSize, status: "error", code, message };
  } finally {
    await context?.dispose();
  }
}
