import type { EngineName } from "../results/types.ts";

/** Every engine `run --engine` accepts, in the order reports list them. */
export const ENGINE_NAMES: readonly EngineName[] = ["node-llama-cpp", "llama-server", "openai"];

/** Engines whose process gguf-bench does not start: nothing of it can be measured from /proc. */
export function isRemoteEngine(engine: EngineName): boolean {
  return engine === "openai";
}
