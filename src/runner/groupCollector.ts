import type {
  CleanupResult,
  ConcurrencyResult,
  ContextResult,
  InferenceSample,
  LoadResult,
  QualityResult,
  ReferenceOutcome,
  RunStopping,
  Stage,
  StageError,
} from "../results/types.ts";
import type { ChildMessage } from "../worker/protocol.ts";
import type { StageCpuMeter } from "./stageCpuMeter.ts";

export interface WorkerVersions {
  nodeLlamaCpp: string;
  llamaCppBuild: string;
  backend: string;
  llamaCppSystemInfo: string;
  nodeLlamaCppBuild: "prebuilt" | "localBuild";
}

export interface CaseCollected {
  inferenceContextSize: number | null;
  samples: InferenceSample[];
  /** From `inference-done`: null until the timed runs of the case are over. */
  stopping: RunStopping | null;
  contexts: ContextResult[];
  concurrency: ConcurrencyResult[];
  errors: StageError[];
  quality: QualityResult | null;
}

/** A stage's detail fit to show: at most 80 characters, none for load and quality (their details name files). */
export function stageDetail(stage: Stage, detail: string): string {
  return stage === "load" || stage === "quality" ? "" : detail.slice(0, 80);
}

/**
 * Everything a worker has streamed so far for one load group. Kept message by message so that whatever the
 * child finished before a crash is still there to report.
 */
export class GroupCollector {
  versions: WorkerVersions | null = null;
  load: LoadResult | null = null;
  cleanup: CleanupResult | null = null;
  /** The reference pass's outcome (a `write-reference` job). */
  reference: ReferenceOutcome | null = null;
  /** Errors that concern the whole group (caseIndex null), e.g. a failed load. */
  groupErrors: StageError[] = [];
  cases: CaseCollected[];
  lastStage: Stage = "load";
  /** The last `stage` message's detail, e.g. "concurrency 2" or "512 tokens". */
  lastDetail = "";
  lastCaseIndex: number | null = null;
  done = false;
  /** Reads other processes' CPU use at every stage boundary; null where nothing is metered (the reference pass). */
  readonly cpu: StageCpuMeter | null;

  constructor(caseCount: number, cpu: StageCpuMeter | null = null) {
    this.cpu = cpu;
    this.cases = Array.from({ length: caseCount }, () => ({
      inferenceContextSize: null,
      samples: [],
      stopping: null,
      contexts: [],
      concurrency: [],
      errors: [],
      quality: null,
    }));
  }

  /**
   * Where the group was last, for an error message: "inference: concurrency 2", "contexts: 512 tokens". The
   * load and quality details name files, so those stages stand alone.
   */
  get lastPlace(): string {
    const detail = stageDetail(this.lastStage, this.lastDetail);
    return detail ? `${this.lastStage}: ${detail}` : this.lastStage;
  }

  /** Takes one message; returns false for a message that is not the collector's (`measure`, handled by the runner). */
  accept(message: ChildMessage): boolean {
    switch (message.type) {
      case "ready":
        this.versions = {
          nodeLlamaCpp: message.nodeLlamaCpp,
          llamaCppBuild: message.llamaCppBuild,
          backend: message.backend,
          llamaCppSystemInfo: message.llamaCppSystemInfo,
          nodeLlamaCppBuild: message.buildType,
        };
        return true;
      case "stage":
        this.lastStage = message.stage;
        this.lastDetail = message.detail;
        this.lastCaseIndex = message.caseIndex;
        this.cpu?.begin(message.stage, message.caseIndex, stageDetail(message.stage, message.detail));
        return true;
      case "measure":
        return false;
      case "load":
        this.load = message.load;
        return true;
      case "inference-sample": {
        const entry = this.caseAt(message.caseIndex);
        entry.inferenceContextSize = message.contextSize;
        entry.samples.push(message.sample);
        return true;
      }
      case "inference-done":
        this.caseAt(message.caseIndex).stopping = message.stopping;
        return true;
      case "context":
        this.caseAt(message.caseIndex).contexts.push(message.context);
        return true;
      case "quality":
        this.caseAt(message.caseIndex).quality = message.quality;
        return true;
      case "reference":
        this.reference = message.outcome;
        return true;
      case "concurrency":
        this.caseAt(message.caseIndex).concurrency.push(message.level);
        return true;
      case "cleanup":
        this.cleanup = message.cleanup;
        return true;
      case "stage-error":
        if (message.caseIndex === null) this.groupErrors.push(message.error);
        else this.caseAt(message.caseIndex).errors.push(message.error);
        return true;
      case "done":
        this.done = true;
        this.cpu?.end();
        return true;
      default: {
        const unknown: never = message;
        throw new Error(`unknown worker message ${JSON.stringify(unknown)}`);
      }
    }
  }

  private caseAt(index: number): CaseCollected {
    const entry = this.cases[index];
    if (!entry) throw new Error(`worker sent case index ${index} of ${this.cases.length}`);
    return entry;
  }
}
