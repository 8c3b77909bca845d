import type { ModelResult } from "../results/types.ts";

// STUB (contract) — implemented by the roofline owner.
export interface RooflinePoint {
  caseId: string;
  /** null for the inference stage, else the context size of that context-stage entry. */
  contextSize: number | null;
  /** Active weight bytes + KV cache bytes read per generated token at that depth. */
  bytesPerToken: number;
  boundTokensPerSecond: number;
  measuredTokensPerSecond: number;
  /** measured / bound; > 1 means a measurement error. */
  fraction: number;
  exceeded: boolean;
}
export function rooflineFor(_model: ModelResult, _bandwidthBytesPerSecond: number): RooflinePoint[] {
  return [];
}
