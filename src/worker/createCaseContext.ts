import type { LlamaContext, LlamaModel } from "node-llama-cpp";
import { GgufBenchError } from "../errors.ts";
import type { CaseSettings } from "../results/types.ts";
import { contextOptionsFor } from "./contextOptions.ts";
import type { LlamaLogSink } from "./llamaLogSink.ts";
import { oneLineMessage } from "./stageError.ts";

/** llama.cpp's reasons for refusing a setting (rather than running out of memory). */
const refusedSettingPattern = /cache type|quantized [KV] cache|flash_attn|flash attention/i;
const flashAttentionDroppedPattern = /flash.?attn|flash attention/i;

/**
 * A context with exactly one case's settings, or a GgufBenchError: "setting-unsupported" when a setting
 * cannot be applied (never silently ignored), "context-alloc-failed" when llama.cpp could not create it.
 */
export async function createCaseContext(
  model: LlamaModel,
  settings: CaseSettings,
  contextSize: number,
  log: LlamaLogSink,
  sequences = 1,
): Promise<LlamaContext> {
  const resolved = contextOptionsFor(settings, contextSize, sequences);
  if (resolved.status === "unsupported") throw new GgufBenchError("setting-unsupported", resolved.reason);
  log.clear();
  let context: LlamaContext;
  try {
    context = await model.createContext(resolved.options);
  } catch (error) {
    await log.settle();
    const llamaSaid = log.lastError();
    const detail = llamaSaid ? ` (llama.cpp: ${llamaSaid})` : "";
    const code = llamaSaid && refusedSettingPattern.test(llamaSaid) ? "setting-unsupported" : "context-alloc-failed";
    throw new GgufBenchError(code, `context of ${contextSize} tokens: ${oneLineMessage(error)}${detail}`);
  }
  const mismatch = settingNotApplied(context, settings, log);
  if (mismatch) {
    await context.dispose();
    throw new GgufBenchError("setting-unsupported", mismatch);
  }
  return context;
}

function settingNotApplied(context: LlamaContext, settings: CaseSettings, log: LlamaLogSink): string | null {
  if (context.idealThreads !== settings.threads)
    return `asked for ${settings.threads} threads, node-llama-cpp would use ${context.idealThreads}`;
  if (context.batchSize !== settings.batchSize)
    return `asked for batch size ${settings.batchSize}, node-llama-cpp uses ${context.batchSize}`;
  if (context.flashAttention !== settings.flashAttention)
    return `asked for flash attention ${settings.flashAttention ? "on" : "off"}, the context has ${String(context.flashAttention)}`;
  const dropped = log.matching(flashAttentionDroppedPattern).find((line) => /disabl|not supported/i.test(line));
  if (settings.flashAttention && dropped) return `flash attention was not applied (llama.cpp: ${dropped})`;
  return null;
}
