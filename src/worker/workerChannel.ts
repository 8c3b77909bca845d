import type { MemorySnapshot } from "../results/types.ts";
import type { ChildMessage, ParentMessage } from "./protocol.ts";

/** The message that tells a fresh worker what to do. */
export type StartMessage = Extract<ParentMessage, { type: "run-group" | "write-reference" }>;

export interface Measurement {
  snapshot: MemorySnapshot;
  peakRssBytes: number;
}

/**
 * The worker's side of the IPC protocol: posts ChildMessages and turns `measure` requests into promises
 * that the parent's `measured` answers resolve. The child never reads its own memory.
 */
export class WorkerChannel {
  private nextRequestId = 1;
  private readonly pending = new Map<number, (measurement: Measurement) => void>();
  private jobWaiter: ((start: StartMessage) => void) | null = null;
  private queuedJob: StartMessage | null = null;

  constructor(private readonly sendRaw: (message: ChildMessage, done: (error: Error | null) => void) => void) {}

  /** Feed every message from the parent here. */
  receive(message: ParentMessage): void {
    switch (message.type) {
      case "run-group":
      case "write-reference":
        if (this.jobWaiter) this.jobWaiter(message);
        else this.queuedJob = message;
        this.jobWaiter = null;
        return;
      case "measured": {
        const resolve = this.pending.get(message.requestId);
        this.pending.delete(message.requestId);
        resolve?.({ snapshot: message.snapshot, peakRssBytes: message.peakRssBytes });
        return;
      }
      default:
        message satisfies never;
    }
  }

  waitForJob(): Promise<StartMessage> {
    if (this.queuedJob) return Promise.resolve(this.queuedJob);
    return new Promise((resolve) => {
      this.jobWaiter = resolve;
    });
  }

  /** Resolves once the message is handed to the IPC channel, so `done` is flushed before the child exits. */
  post(message: ChildMessage): Promise<void> {
    return new Promise((resolve, reject) => {
      this.sendRaw(message, (error) => (error ? reject(error) : resolve()));
    });
  }

  /** Asks the parent to read /proc/<pid>/status now; with resetPeak the peak restarts from this moment. */
  async measure(resetPeak: boolean): Promise<Measurement> {
    const requestId = this.nextRequestId++;
    const answered = new Promise<Measurement>((resolve) => this.pending.set(requestId, resolve));
    await this.post({ type: "measure", requestId, resetPeak });
    return answered;
  }
}
