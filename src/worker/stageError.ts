import { failureHint } from "../diagnosis/failureHint.ts";
import { llamaReason } from "../diagnosis/llamaReason.ts";
import { GgufBenchError } from "../errors.ts";
import type { Stage, StageError } from "../results/types.ts";
import type { LlamaLogSink } from "./llamaLogSink.ts";

const maxMessageChars = 300;
/** The message with llama.cpp's reason appended stays one line, short enough for a terminal and a table. */
const maxMessageWithReasonChars = 600;

/** The first line of an error's message, short enough for a table cell. */
export function oneLineMessage(error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  const line = raw.split("\n", 1)[0]?.trim() || (error instanceof Error ? error.name : "unknown error");
  return clip(line, maxMessageChars);
}

/**
 * A StageError from anything thrown. A GgufBenchError keeps its own code (e.g. "context-overflow"); anything
 * else gets `fallbackCode`. node-llama-cpp's messages are generic ("Failed to load model"), so the lines
 * llama.cpp logged that say why (see llamaReason) are appended to the message and kept in `llamaLog`, and a
 * hint is added when the cause is known (failureHint; `file` names the first split part). Call
 * `log.settle()` first: llama.cpp's lines can arrive after the rejection.
 */
export function toStageError(
  stage: Stage,
  fallbackCode: string,
  error: unknown,
  context: { log?: LlamaLogSink; file?: string } = {},
): StageError {
  const code = error instanceof GgufBenchError ? error.code : fallbackCode;
  let message = oneLineMessage(error);
  const reason = context.log ? llamaReason(context.log.errors()) : [];
  const untold = reason.filter((line) => !message.includes(line));
  if (untold.length > 0) message = clip(`${message} (llama.cpp: ${untold.join("; ")})`, maxMessageWithReasonChars);
  const hint = failureHint([message, ...reason].join("\n"), context.file ?? null);
  return {
    stage,
    code,
    message,
    ...(reason.length > 0 ? { llamaLog: reason } : {}),
    ...(hint ? { hint } : {}),
  };
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
