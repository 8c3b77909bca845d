/**
 * gguf-bench as a library: the package's only entry point (`import { runBenchmark } from "gguf-bench"`). Everything
 * else under dist/ is internal and may change in any release; what is exported here follows semver, and the
 * results object follows SCHEMA_VERSION (its history: the README, "Files and formats").
 */

export { type EstimateOptions, type EstimateReport, estimateMemory } from "./api/estimateMemory.ts";
export {
  type ImportOutcome,
  type MachineRow,
  type ModelHistoryRow,
  type ModelSummaryRow,
  openHistoryStore,
  type ResultStore,
  type RunFilter,
  type RunSummaryRow,
} from "./api/openHistoryStore.ts";
export {
  type BenchmarkOptions,
  type BenchmarkPlan,
  type BenchmarkProgress,
  runBenchmark,
} from "./api/runBenchmark.ts";
export { compareRuns } from "./compare/compareRuns.ts";
export type {
  MetricComparison,
  ModelComparison,
  ModelRef,
  RunComparison,
  RunSide,
  Verdict,
} from "./compare/runComparison.ts";
export { GgufBenchError, UsageError } from "./errors.ts";
export { GgufError, type GgufErrorCode } from "./gguf/ggufError.ts";
export type { ModelInfo } from "./gguf/modelInfo.ts";
export { readModelInfo } from "./gguf/readModelInfo.ts";
export {
  type SynthArch,
  type SynthOptions,
  type SynthResult,
  type SynthType,
  synthesizeModel,
} from "./gguf/synthesize.ts";
export { type ReportFormat, renderReport } from "./report/renderReport.ts";
export { loadResultsFile } from "./results/loadResultsFile.ts";
export type * from "./results/types.ts";
export { SCHEMA_VERSION } from "./results/types.ts";
export { TOOL_VERSION } from "./version.ts";
