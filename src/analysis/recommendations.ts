import { formatContext, formatGiB, formatNumber } from "../report/formatValue.ts";
import { caseStatus } from "../results/caseStatus.ts";
import type { CaseAnalysis } from "./caseAnalysis.ts";
import { memoryPlan, memoryPlanSource } from "./memoryPlan.ts";
import { measuredSummary, summaryNotMeasuredReason } from "./notMeasured.ts";
import { USE_CASES, type UseCase } from "./useCases.ts";

export interface Recommendation {
  useCase: UseCase;
  /** The chosen case, or null ("none") when no model qualifies. */
  choice: {
    runId: string;
    caseId: string;
    name: string;
    synthetic: boolean;
    generationTokensPerSecond: number;
    /** Peak memory to plan for at the use case's context (memoryPlan: measured, fitted or extrapolated). */
    predictedMemoryBytes: number;
    /** Where predictedMemoryBytes comes from (memoryPlanSource): "measured at 2,048 tokens", "extrapolated from …". */
    memorySource: string;
    memoryTotalBytes: number;
    trainingContextTokens: number;
  } | null;
  /** Why, in numbers. */
  reason: string;
  /** Each case not chosen because it cannot serve this use case, with why. */
  rejected: { name: string; reason: string }[];
}

/**
 * Per use case: among the cases that ran (inference and memory to plan with), those whose training context
 * reaches the use case's target and whose memory to plan for at that context (memoryPlan) fits the machine's RAM; the fastest
 * measured generation wins. A case is never recommended without a measurement behind each condition.
 */
export function recommendations(cases: CaseAnalysis[]): Recommendation[] {
  return USE_CASES.map((useCase) => {
    const target = useCase.targetContextTokens;
    const eligible: NonNullable<Recommendation["choice"]>[] = [];
    const rejected: Recommendation["rejected"] = [];
    for (const c of cases) {
      const m = c.model;
      const reject = (reason: string) => rejected.push({ name: c.name, reason });
      if (m.status === "failed" || !m.inference) {
        reject(`did not run (${caseStatus(m)})`);
        continue;
      }
      const generation = measuredSummary(m.inference.summaries.generationTokensPerSecond);
      if (generation === null) {
        reject(`generation speed not measured: ${summaryNotMeasuredReason(m, "generationTokensPerSecond")}`);
        continue;
      }
      const training = m.info.contextLength;
      if (training === null) {
        reject("training context unknown");
        continue;
      }
      if (training < target) {
        reject(`trained for ${formatNumber(training)} tokens < ${formatNumber(target)}`);
        continue;
      }
      const failedAt = m.contexts.find((x) => x.status === "error" && x.contextSize <= target);
      if (failedAt?.status === "error") {
        reject(`context of ${formatNumber(failedAt.contextSize)} tokens failed (${failedAt.code})`);
        continue;
      }
      const plan = memoryPlan(m, c.fit, target);
      if (plan.kind === "none") {
        reject(`no memory to plan with: ${plan.reason}`);
        continue;
      }
      const predicted = plan.bytes;
      if (predicted > c.memoryTotalBytes) {
        reject(
          `needs ${formatGiB(predicted)} at ${formatContext(target)} (${memoryPlanSource(plan)}) > ${formatGiB(c.memoryTotalBytes)} RAM`,
        );
        continue;
      }
      eligible.push({
        runId: c.runId,
        caseId: m.caseId,
        name: c.name,
        synthetic: m.synthetic,
        generationTokensPerSecond: generation.mean,
        predictedMemoryBytes: predicted,
        memorySource: memoryPlanSource(plan),
        memoryTotalBytes: c.memoryTotalBytes,
        trainingContextTokens: training,
      });
    }
    eligible.sort((a, b) => b.generationTokensPerSecond - a.generationTokensPerSecond);
    const choice = eligible[0] ?? null;
    if (!choice) {
      const reason =
        cases.length === 0
          ? "no model ran"
          : `no model that ran is trained for ${formatNumber(target)} tokens and fits in memory at that context`;
      return { useCase, choice, reason, rejected };
    }
    const runnerUp = eligible[1];
    const speed = `${formatNumber(choice.generationTokensPerSecond, 2)} generation tokens/s${
      runnerUp
        ? ` (next: ${runnerUp.name} at ${formatNumber(runnerUp.generationTokensPerSecond, 2)})`
        : " (only eligible model)"
    }`;
    const reason = `${speed}; plan for ${formatGiB(choice.predictedMemoryBytes)} at ${formatContext(target)} tokens (${choice.memorySource}) of ${formatGiB(choice.memoryTotalBytes)} RAM; trained for ${formatNumber(choice.trainingContextTokens)} tokens${choice.synthetic ? "; synthetic model (random weights): speed and memory only" : ""}`;
    return { useCase, choice, reason, rejected };
  });
}
