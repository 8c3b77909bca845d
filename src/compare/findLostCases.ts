import type { ModelResult, RunResults } from "../results/types.ts";
import { matchModels } from "./matchModels.ts";

/** A case the baseline ran that the newer run lost: the worst regression, which no metric can show. */
export interface LostCase {
  caseId: string;
  label: string;
  /** e.g. "missing", "crash during load (…)", "failed (was ok)". */
  why: string;
}

const RANK: Record<ModelResult["status"], number> = { ok: 0, partial: 1, failed: 2 };
const ENDED_BADLY = new Set(["crash", "timeout", "killed", "error", "interrupted"]);

/**
 * For `compare --fail-on-regression`: cases of run A (the baseline) that run B does not have, or that ended
 * worse in B — a process that crashed, timed out, was killed or interrupted where A's did not, or a status
 * that went from ok to partial or failed, or from partial to failed. A case that failed in both is not new.
 * Pure.
 */
export function findLostCases(a: RunResults, b: RunResults): LostCase[] {
  const matching = matchModels(a.models, b.models);
  const lost: LostCase[] = matching.onlyInA.map((m) => ({ caseId: m.caseId, label: m.label, why: "missing" }));
  for (const pair of matching.pairs) {
    const endedBadly = ENDED_BADLY.has(pair.b.process.outcome) && !ENDED_BADLY.has(pair.a.process.outcome);
    if (!endedBadly && RANK[pair.b.status] <= RANK[pair.a.status]) continue;
    const error = pair.b.errors.at(-1);
    const how = endedBadly ? pair.b.process.outcome : pair.b.status;
    lost.push({
      caseId: pair.a.caseId,
      label: pair.a.label,
      why: `${how}${error ? ` (${error.stage}: ${error.message})` : ""}, was ${pair.a.status}`,
    });
  }
  return lost;
}
