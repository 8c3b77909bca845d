import type { LlamaModel } from "node-llama-cpp";
import { ENGINE_WARM_UP_DETAIL } from "../results/types.ts";
import { createCaseContext } from "./createCaseContext.ts";
import { promptTokens } from "./promptTokens.ts";
import type { WorkerSession } from "./workerSession.ts";

/**
 * Budget of the engine warm-up: whichever comes first. Measured here (main-thread CPU per generated token,
 * fresh process, 25M-parameter model): ~200 µs per token over the first ~600 tokens, ~110 µs after ~2000,
 * i.e. V8 is still optimising node-llama-cpp's per-token JavaScript; on a 1 ms/token model that alone made a
 * fresh worker ~10% slower than a long-running process. 2048 tokens were not enough: against a bare loop
 * warmed by 8192 tokens (scripts/bench-fidelity.ts, llama 25m Q8_0, 1 thread, ~1 ms/token) the worker's
 * generation tokens/s ratio was 0.935 after 2048 warm-up tokens, 0.978 after 6144, 0.982 after 8192.
 */
const warmUpMaxTokens = 6144;
const warmUpMaxMs = 10_000;
/**
 * Slow models stop sooner: at ≥ 20 ms per token the ~0.1–0.2 ms of per-token JavaScript is under 1% of a
 * token, so warming it further cannot move a figure by more than that; the old 3 s budget is kept for them.
 */
const slowTokenMs = 20;
const slowModelMaxMs = 3000;
const warmUpContextSize = 512;

/**
 * Runs greedy generation, untimed and unreported, until the budget is used, so the JavaScript of
 * node-llama-cpp's evaluate loop is optimised before the first timed run, as it is in a long-running app.
 * Uses the first case's threads and batch size with plain attention settings; any failure is ignored here
 * (the case itself will then fail and report why). Runs once per worker process: JIT state is per process.
 */
export async function engineWarmUp(session: WorkerSession, model: LlamaModel): Promise<void> {
  const { channel, job, log } = session;
  const firstCase = job.cases[0];
  const text = job.prompts[0]?.text ?? "Once upon a time";
  if (!firstCase) return;
  await channel.post({ type: "stage", stage: "inference", caseIndex: null, detail: ENGINE_WARM_UP_DETAIL });
  const settings = {
    ...firstCase,
    ubatchSize: firstCase.batchSize,
    flashAttention: false,
    kvCacheType: "f16" as const,
  };
  const context = await createCaseContext(model, settings, warmUpContextSize, log).catch(() => null);
  if (!context) return;
  try {
    const sequence = context.getSequence();
    const prompt = promptTokens(model, text);
    const perPass = Math.max(1, Math.min(warmUpMaxTokens, sequence.contextSize - prompt.length - 1));
    const start = performance.now();
    let generated = 0;
    let budgetMs = warmUpMaxMs;
    while (generated < warmUpMaxTokens && performance.now() - start < budgetMs) {
      await sequence.clearHistory();
      let pass = 0;
      for await (const _ of sequence.evaluate(prompt, { temperature: 0, seed: job.seed, yieldEogToken: true })) {
        if (++pass >= perPass || performance.now() - start >= budgetMs) break;
      }
      generated += pass;
      if ((performance.now() - start) / Math.max(1, generated) >= slowTokenMs) budgetMs = slowModelMaxMs;
    }
  } catch {
    // Not a measurement: the stages that follow report their own failures.
  } finally {
    await context.dispose();
  }
}
