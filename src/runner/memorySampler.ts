import { writeFileSync } from "node:fs";
import type { MemorySnapshot } from "../results/types.ts";
import { readProcStatus } from "./procStatus.ts";

/** The measurement rules ask for samples no more than 100 ms apart, so short peaks are seen. */
export const SAMPLE_INTERVAL_MS = 50;

export interface MemoryReading {
  snapshot: MemorySnapshot;
  /** Max of the kernel high-water mark (when it could be reset) and every sampled RSS since the last reset. */
  peakRssBytes: number;
}

/**
 * Samples a child's /proc/<pid>/status from the parent on a timer and keeps the peak since the last reset.
 * The kernel's own VmHWM catches peaks between samples, but it counts from process start unless it is reset
 * by writing "5" to /proc/<pid>/clear_refs; when that is not permitted the peak rests on sampling alone.
 */
export class MemorySampler {
  readonly pid: number;
  private timer: NodeJS.Timeout | null = null;
  private sampledPeakBytes = 0;
  /** Whether VmHWM counts from our last reset (or from process start, before any reset). */
  private hwmTrusted = true;
  /** Whether a reset was ever refused; then VmHWM is never trusted again. */
  resetRefused = false;
  last: MemorySnapshot | null = null;
  sampleCount = 0;

  constructor(pid: number, intervalMs = SAMPLE_INTERVAL_MS) {
    this.pid = pid;
    this.timer = setInterval(() => this.sample(), intervalMs);
    // Sampling must never keep the parent alive on its own.
    this.timer.unref();
    this.sample();
  }

  /** Reads now, updates the peak; null when the process is gone. */
  sample(): MemorySnapshot | null {
    const snapshot = readProcStatus(this.pid);
    if (!snapshot) return null;
    this.last = snapshot;
    this.sampleCount++;
    this.sampledPeakBytes = Math.max(this.sampledPeakBytes, snapshot.vmRssBytes);
    return snapshot;
  }

  /** A snapshot now and the peak since the last reset; with `resetPeak` the peak then starts again from now. */
  measure(resetPeak: boolean): MemoryReading | null {
    const snapshot = this.sample();
    if (!snapshot) return null;
    const peakRssBytes = Math.max(this.sampledPeakBytes, this.hwmTrusted ? snapshot.vmHwmBytes : 0);
    if (resetPeak) this.reset(snapshot);
    return { snapshot, peakRssBytes };
  }

  private reset(current: MemorySnapshot): void {
    this.sampledPeakBytes = current.vmRssBytes;
    if (this.resetRefused) return;
    try {
      writeFileSync(`/proc/${this.pid}/clear_refs`, "5");
      this.hwmTrusted = true;
    } catch {
      this.resetRefused = true;
      this.hwmTrusted = false;
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
