import { caseStatus } from "../results/caseStatus.ts";
import type { ModelResult, RunResults } from "../results/types.ts";
import { matchModels } from "./matchModels.ts";

/** A case the baseline ran that the newer run lost: the worst regression, which no metric can show. */
export interface LostCase {
  caseId: string;
  label: string;
  /** e.g. "missing", "crash during load (…)", "failed (was ok)". */
  why: string;
}

/** How far short a case fell; a stop's cut (interrupted) keeps what it finished, as partial does. */
const RANK: Record<ModelResult["status"], number> = { ok: 0, partial: 1, interrupted: 1, failed: 2 };
const ENDED_BADLY = new Set(["crash", "timeout", "killed", "error", "interrupted"]);

/**
 * For `compare --fail-on-regression`: cases of run A (the baseline) that run B does not have, or that ended
 * worse in B — a process that crashed, timed out, was killed or interrupted where A's did not, or a status
 * that went from ok to partial, interrupted or failed, or from partial or interrupted to failed (statuses read
 * through caseStatus, so older files' stopped cases count as interrupted). A case that failed in both is not new.
 * Pure.
 */
export function findLostCases(a: RunResults, b: RunResults): LostCase[] {
  const matching = matchModels(a.models, b.models);
  const lost: LostCase[] = matching.onlyInA.map((m) => ({ caseId: m.caseId, label: m.label, why: "missing" }));
  for (const pair of matching.pairs) {
    const endedBadly = ENDED_BADLY.has(pair.b.process.outcome) && !ENDED_BADLY.has(pair.a.process.outcome);
    const [statusA, statusB] = [caseStatus(pair.a), caseStatus(pair.b)];
    if (!endedBadly && RANK[statusB] <= RANK[statusA]) continue;
    const error = pair.b.errors.at(-1);
    const how = endedBadly ? pair.b.process.outcome : statusB;
    lost.push({
      caseId: pair.a.caseId,
      label: pair.a.label,
      why: `${how}${error ? ` (${error.stage}: ${error.message})` : ""}, was ${statusA}`,
    });
  }
  return lost;
}
