import { GgufBenchError } from "../errors.ts";
import type { ModelInfo } from "./modelInfo.ts";

// STUB (contract) — implemented by the GGUF module owner. Reads only the header; split models as one.
export async function readModelInfo(path: string): Promise<ModelInfo> {
  throw new GgufBenchError("not-implemented", `cannot read ${path}: GGUF reader not built yet`);
}
