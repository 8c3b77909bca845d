// STUB (contract) — implemented by the roofline owner: a streaming read over a buffer larger than the caches,
// in its own child process; returns bytes per second, or null when it could not be measured.
export async function measureBandwidth(): Promise<number | null> {
  return null;
}
