import { randomBytes } from "node:crypto";
import { recordedMetrics } from "../metrics/recordedMetrics.ts";
import { type RequestMetrics, requestMetrics } from "../metrics/requestMetrics.ts";
import { fillPromptTokensAsync } from "../prompts/fillPromptTokens.ts";
import type { ContextResult, InferenceSample, ServerTimings } from "../results/types.ts";
import type { MemoryReading } from "../runner/memorySampler.ts";
import { closedLoop, concurrencyLevel, type LevelRequest } from "../stats/concurrencyLevel.ts";
import { runRounds } from "../stats/runRounds.ts";
import type { ChildMessage, GroupJob } from "../worker/protocol.ts";
import type { CompletionRequest, ServingClient } from "./servingClient.ts";

/** What the serving stages share: the engine's client, its process's memory (none for a remote one), the run. */
export interface ServingSession {
  client: ServingClient;
  /** Reads the engine process's memory from /proc (resetting the peak when asked); null when not ours to read. */
  measure: ((resetPeak: boolean) => MemoryReading | null) | null;
  job: GroupJob;
  /** Into the collector (and the progress display), as the worker's messages would. */
  emit: (message: ChildMessage) => void;
  signal: AbortSignal;
  /** Whether the engine can still answer (its process runs); a stage stops early when it cannot. */
  healthy: () => boolean;
  /** Prefix each prompt with a unique marker (an endpoint whose prompt cache cannot be switched off). */
  uniquePrefix: boolean;
}

let requestCounter = 0;

/**
 * The next request's unique marker, `[<8 random hex digits>-<request number>]`, e.g. `[3fa81c0e-17]`: random first,
 * so that it differs from every earlier prompt (this run's and other runs') right after the few tokens all
 * prompts share (BOS, the bracket), and numbered, so that no two of one run are ever equal. In front of a
 * prompt, a prompt cache that cannot be switched off can reuse those few shared tokens at most.
 */
export function uniqueMarker(): string {
  return `[${randomBytes(4).toString("hex")}-${++requestCounter}]`;
}

/** One request through the engine, as metrics and the server's own timings; a failure keeps its reason. */
async function timedRequest(
  session: ServingSession,
  request: CompletionRequest,
): Promise<
  { ok: true; metrics: RequestMetrics; server: ServerTimings | null } | { ok: false; code: string; message: string }
> {
  let prompt = request.prompt;
  // Token arrays (the context stage) get their marker as tokens when they are built (servingContext).
  if (session.uniquePrefix && typeof prompt === "string") prompt = `${uniqueMarker()} ${prompt}`;
  const result = await session.client.complete({ ...request, prompt }, session.signal);
  if (!result.ok) return result;
  return { ok: true, metrics: requestMetrics(result.observation), server: result.server };
}

/**
 * First decode: one token in, one out, right after the server is ready (the BOS token, or the first token of
 * "The" for a model without BOS). Client time, ms; or the reason it failed.
 */
export async function servingFirstDecode(
  session: ServingSession,
): Promise<{ ok: true; ms: number } | { ok: false; message: string }> {
  try {
    const withBos = await session.client.tokenize("", true, session.signal);
    const token = withBos?.[0] ?? (await session.client.tokenize("The", false, session.signal))?.[0];
    const prompt: CompletionRequest["prompt"] = token === undefined ? "The" : [token];
    const start = performance.now();
    const result = await session.client.complete({ prompt, maxTokens: 1, seed: session.job.seed }, session.signal);
    if (!result.ok) return { ok: false, message: `${result.code}: ${result.message}` };
    return { ok: true, ms: performance.now() - start };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Inference stage through a server, in rounds as in-process (`runRounds`, src/stats/runRounds.ts): `warmupRuns`
 * rounds of every prompt, then timed rounds until `stopAfterRound` says stop (after `runs` rounds, or with --runs
 * auto at the CI target or a cap), then `inference-done`. Each request is a fresh completion with the prompt cache
 * off. The peak of the engine's memory is reset before each request and read after it. A failed request ends the
 * stage with a stage error; true when the stage ran through.
 */
export async function servingInference(session: ServingSession, caseIndex: number): Promise<boolean> {
  const { job, emit } = session;
  emit({ type: "stage", stage: "inference", caseIndex, detail: `${job.prompts.length} prompts` });
  const stopping = await runRounds(job, (prompt, run) => servingRun(session, caseIndex, prompt, run));
  if (stopping === null) return false;
  emit({ type: "inference-done", caseIndex, stopping });
  return true;
}

/** One request of one prompt, streamed to the collector; `run` −1 for a warm-up. Null when it failed (recorded). */
async function servingRun(
  session: ServingSession,
  caseIndex: number,
  prompt: GroupJob["prompts"][number],
  run: number,
): Promise<InferenceSample | null> {
  const { job, emit } = session;
  session.measure?.(true);
  const result = await timedRequest(session, { prompt: prompt.text, maxTokens: job.maxTokens, seed: job.seed });
  const reading = session.measure?.(false) ?? null;
  if (!result.ok) {
    // A cancelled run (timeout, Ctrl-C) is the process's outcome, not this stage's error.
    if (!session.signal.aborted)
      emit({
        type: "stage-error",
        caseIndex,
        error: { stage: "inference", code: result.code, message: result.message },
      });
    return null;
  }
  const sample: InferenceSample = {
    promptId: prompt.id,
    run,
    warmup: run < 0,
    ...recordedMetrics(result.metrics),
    peakRssBytes: reading?.peakRssBytes ?? null,
    server: result.server,
  };
  emit({ type: "inference-sample", caseIndex, contextSize: job.inferenceContextSize, sample });
  return sample;
}

/**
 * Concurrency stage: for each level, a closed loop of that many streams sending `requestsPerLevel` requests
 * (the standard prompts in turn, `maxTokens` each); the engine's peak memory over the level. A level cut short by
 * the case's signal (timeout, Ctrl-C) is not emitted.
 */
export async function servingConcurrency(
  session: ServingSession,
  caseIndex: number,
  levels: number[],
  requestsPerLevel: number,
): Promise<void> {
  const { job, emit } = session;
  for (const level of levels) {
    if (session.signal.aborted || !session.healthy()) return;
    emit({ type: "stage", stage: "inference", caseIndex, detail: `concurrency ${level}` });
    session.measure?.(true);
    const { requests, durationMs } = await closedLoop(level, requestsPerLevel, async (index): Promise<LevelRequest> => {
      // Cut short (--timeout, Ctrl-C): no further request is sent (an aborted signal does not stop a new fetch).
      if (session.signal.aborted) return { ok: false, message: "aborted: the case was cut short" };
      const prompt = job.prompts[index % job.prompts.length];
      const result = await timedRequest(session, {
        prompt: prompt?.text ?? "",
        maxTokens: job.maxTokens,
        seed: job.seed,
      });
      return result.ok
        ? { ok: true, metrics: result.metrics }
        : { ok: false, message: `${result.code}: ${result.message}` };
    });
    const reading = session.measure?.(false) ?? null;
    // Cut by --timeout or Ctrl-C: its requests failed as "aborted", which says nothing of the engine. The level
    // is the process's outcome (the runner records it as not measured, with the reason), not this level's error.
    if (session.signal.aborted) return;
    emit({
      type: "concurrency",
      caseIndex,
      level: concurrencyLevel(level, requests, durationMs, reading?.peakRssBytes ?? null),
    });
  }
}

/**
 * One context size through a server started for it: a prompt of exactly (size − maxTokens) tokens of the
 * project's prose, counted with the server's own tokenizer, then `maxTokens` generated. With `uniquePrefix` the
 * prompt is BOS, then the request's unique marker tokenised by the server, then the prose (the same length in
 * all). `afterCreate` is the engine's memory once it was ready with this context.
 */
export async function servingContext(
  session: ServingSession,
  contextSize: number,
  afterCreate: MemoryReading | null,
): Promise<ContextResult> {
  const { job, client } = session;
  try {
    const tokenize = async (text: string) => {
      const tokens = await client.tokenize(text, false, session.signal);
      if (tokens === null) throw new Error("the engine cannot tokenise (no /tokenize): the prompt cannot be sized");
      return tokens;
    };
    const bos = ((await client.tokenize("", true, session.signal)) ?? []).slice(0, 1);
    const marker = session.uniquePrefix ? await tokenize(`${uniqueMarker()} `) : [];
    const targetTokens = contextSize - job.maxTokens;
    if (bos.length + marker.length >= targetTokens)
      throw new Error(`a context of ${contextSize} tokens leaves no room for the prompt after its unique marker`);
    const prompt = await fillPromptTokensAsync({ tokenize, targetTokens, prefix: [...bos, ...marker] });
    session.measure?.(false);
    const result = await timedRequest(session, { prompt, maxTokens: job.maxTokens, seed: job.seed });
    const end = session.measure?.(false) ?? null;
    if (!result.ok) return { contextSize, status: "error", code: result.code, message: result.message };
    return {
      contextSize,
      status: "ok",
      ...recordedMetrics(result.metrics),
      afterCreateRssBytes: afterCreate?.snapshot.vmRssBytes ?? null,
      peakRssBytes: end?.peakRssBytes ?? null,
      endRssBytes: end?.snapshot.vmRssBytes ?? null,
      server: result.server,
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { contextSize, status: "error", code: "generation-failed", message };
  }
}

/**
 * The in-process engine's rules for a context size that is not measured: above the model's training context
 * (unless allowed) it is skipped; one that leaves no room for a prompt is an error. Null: measure it.
 */
export function contextNotMeasured(job: GroupJob, contextSize: number): ContextResult | null {
  const training = job.trainingContextLength;
  if (training !== null && contextSize > training && !job.allowBeyondTrainingContext)
    return {
      contextSize,
      status: "skipped",
      reason: `above the model's training context of ${training} tokens (--allow-beyond-training-context runs it)`,
    };
  if (contextSize <= job.maxTokens)
    return {
      contextSize,
      status: "error",
      code: "context-too-small",
      message: `a context of ${contextSize} tokens leaves no room for a prompt before ${job.maxTokens} generated tokens`,
    };
  return null;
}
