import { GgufBenchError } from "../errors.ts";
import type { Stage, StageError } from "../results/types.ts";
import type { LlamaLogSink } from "./llamaLogSink.ts";

const maxMessageChars = 300;

/** The first line of an error's message, short enough for a table cell. */
export function oneLineMessage(error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  const line = raw.split("\n", 1)[0]?.trim() || (error instanceof Error ? error.name : "unknown error");
  return line.length > maxMessageChars ? `${line.slice(0, maxMessageChars - 1)}…` : line;
}

/**
 * A StageError from anything thrown. A GgufBenchError keeps its own code (e.g. "context-overflow"); anything
 * else gets `fallbackCode`. node-llama-cpp's messages are generic ("Failed to create context"), so the last
 * error llama.cpp logged is appended: that is the line that says why.
 */
export function toStageError(stage: Stage, fallbackCode: string, error: unknown, log?: LlamaLogSink): StageError {
  const code = error instanceof GgufBenchError ? error.code : fallbackCode;
  let message = oneLineMessage(error);
  const llamaSaid = log?.lastError();
  if (llamaSaid && !message.includes(llamaSaid)) message = `${message} (llama.cpp: ${llamaSaid})`;
  return { stage, code, message };
}
