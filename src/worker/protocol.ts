/**
 * The messages between the runner (parent) and the worker (child, the only code that imports
 * node-llama-cpp), over Node's IPC channel (child_process.fork). Discriminated unions; both sides switch
 * exhaustively. Memory is never read by the child: it asks the parent, which reads /proc/<child pid>/status.
 *
 * Worker behaviour the runner can rely on (engineer B1, 2026-11-26; documentation only, no type change):
 * - Order: `ready` (after `run-group` arrives), `load`, an untimed engine warm-up (only a `stage` message:
 *   inference, caseIndex null, ≤ 3 s), then per case: its `inference-sample`s in rounds (each prompt once per
 *   round; warm-up rounds first, flagged `warmup: true`, `run: -1`), `inference-done` with how many timed runs
 *   and why they stopped, and one `context` per size in `job.contexts`, then, when `job.quality` is set, one
 *   `quality` (case 0), then `cleanup`, then `done`; `stage` messages in between. Every `measure` waits for its
 *   `measured` answer.
 * - A `write-reference` job instead: `ready`, `stage` messages (stage "quality"), one `reference`, `done`.
 * - `stage-error` codes: load: "backend-unavailable", "load-failed", "first-decode-failed", "setting-unsupported"
 *   (GPU layers on a CPU backend); inference: "setting-unsupported", "context-alloc-failed", "context-overflow",
 *   "inference-failed" (or an invariant's own code: "kv-not-empty", "no-output"); cleanup: "cleanup-failed";
 *   process: "worker-exception". After a load error the group ends with `done` and no `load`/`cleanup`. A case
 *   whose settings cannot be applied gets one inference `stage-error` and a `context` with status "error"
 *   (same code) for each size.
 * - Context `error` codes: "setting-unsupported", "context-alloc-failed", "context-overflow",
 *   "context-too-small" (size ≤ maxTokens), "generation-failed".
 * - node-llama-cpp 3.21.1 sets n_ubatch = n_batch: a case with ubatchSize ≠ batchSize is "setting-unsupported".
 */
import type {
  CaseSettings,
  CleanupResult,
  ConcurrencyResult,
  ContextResult,
  InferenceSample,
  LoadResult,
  MemorySnapshot,
  QualityResult,
  ReferenceOutcome,
  RunStopping,
  StageError,
} from "../results/types.ts";
import type { AutoRunsPolicy } from "../stats/autoRuns.ts";

/** What the worker needs to run one load group: one model, loaded once, every case measured on it. */
export interface GroupJob {
  file: string;
  /** Load-level settings (shared by every case). */
  mmap: boolean;
  gpuLayers: number;
  cache: CaseSettings["cache"];
  cases: CaseSettings[];
  /** Timed runs per prompt: exactly these when autoRuns is null, else the minimum. */
  runs: number;
  /** --runs auto: keep adding rounds until the CI target or a cap (src/stats/autoRuns.ts). */
  autoRuns: AutoRunsPolicy | null;
  warmupRuns: number;
  maxTokens: number;
  inferenceContextSize: number;
  contexts: number[];
  seed: number;
  prompts: { id: string; title: string; text: string }[];
  trainingContextLength: number | null;
  allowBeyondTrainingContext: boolean;
  /** Concurrency levels of the concurrency stage (empty: it does not run), and requests sent per level. */
  concurrency: number[];
  requestsPerLevel: number;
  /** The quality stage after the last case's contexts (on the first case's settings); null: no quality stage. */
  quality?: QualityJob | null;
}

/** What the quality stage scores: perplexity over a text, and KLD when reference distributions are given. */
export interface QualityJob {
  /** The text (UTF-8; one trailing newline dropped, as llama-perplexity drops it). Unused with a reference. */
  textFile: string;
  /** Tokens per chunk (n_ctx). */
  contextSize: number;
  /** The reference distributions file and who made it; null: perplexity only. */
  reference: { distributionsFile: string; label: string; fingerprint: string } | null;
}

/** The reference pass: load the reference model, evaluate the text, write its distributions. No measurements. */
export interface ReferenceJob {
  kind: "reference";
  file: string;
  label: string;
  fingerprint: string;
  vocabularyFingerprint: string;
  mmap: boolean;
  gpuLayers: number;
  /** Threads, batch size, KV cache and flash attention for the evaluation (the run's first case). */
  settings: CaseSettings;
  textFile: string;
  textSha256: string;
  contextSize: number;
  /** Where to write the distributions (ReferenceWriter's format). */
  outFile: string;
}

export type ParentMessage =
  | { type: "run-group"; job: GroupJob }
  | { type: "write-reference"; job: ReferenceJob }
  /** Answer to a `measure` request. `peakRssBytes`: max of the kernel high-water mark and the sampled RSS since the last reset. */
  | { type: "measured"; requestId: number; snapshot: MemorySnapshot; peakRssBytes: number };

export type ChildMessage =
  | {
      type: "ready";
      nodeLlamaCpp: string;
      llamaCppBuild: string;
      backend: string;
      /** llama.cpp's llama_print_system_info() line: the CPU features the engine was built for and uses. */
      llamaCppSystemInfo: string;
      /** Which binding node-llama-cpp loaded: its prebuilt binary or a local build from source. */
      buildType: "prebuilt" | "localBuild";
    }
  /** Where the child is; the parent labels its memory samples and progress with it. */
  | {
      type: "stage";
      stage: "load" | "inference" | "contexts" | "quality" | "cleanup";
      caseIndex: number | null;
      detail: string;
    }
  /** Ask the parent to read memory now; with resetPeak the peak starts again from this point. */
  | { type: "measure"; requestId: number; resetPeak: boolean }
  | { type: "load"; load: LoadResult }
  /** Streamed one by one so that a crash keeps what was finished. */
  | { type: "inference-sample"; caseIndex: number; contextSize: number; sample: InferenceSample }
  /** The case's timed runs are over: how many, and why they stopped. */
  | { type: "inference-done"; caseIndex: number; stopping: RunStopping }
  | { type: "context"; caseIndex: number; context: ContextResult }
  | { type: "quality"; caseIndex: number; quality: QualityResult }
  /** The reference pass's one result. */
  | { type: "reference"; outcome: ReferenceOutcome }
  | { type: "concurrency"; caseIndex: number; level: ConcurrencyResult }
  | { type: "cleanup"; cleanup: CleanupResult }
  | { type: "stage-error"; caseIndex: number | null; error: StageError }
  | { type: "done" };
