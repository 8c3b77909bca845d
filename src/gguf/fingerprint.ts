import { GgufBenchError } from "../errors.ts";

// STUB (contract): sha256 hex of (GGUF header bytes + total file size) — identifies a model across runs cheaply.
export async function modelFingerprint(path: string): Promise<string> {
  throw new GgufBenchError("not-implemented", `cannot fingerprint ${path}: not built yet`);
}
