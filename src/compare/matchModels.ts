import type { CaseSettings, ModelResult } from "../results/types.ts";

export interface ModelPair {
  a: ModelResult;
  b: ModelResult;
  /** "fingerprint": the same model file (header + size); "label": only the same name, the files differ. */
  matchedBy: "fingerprint" | "label";
}

export interface ModelMatching {
  pairs: ModelPair[];
  onlyInA: ModelResult[];
  onlyInB: ModelResult[];
}

/**
 * Pairs the cases of two runs. A file fingerprint is trusted before a name (a renamed file is the same model,
 * a re-quantised file with the old name is not), and within either, a case with identical settings is
 * preferred so a sweep pairs threads=4 with threads=4. Pairs keep run A's order.
 */
export function matchModels(a: readonly ModelResult[], b: readonly ModelResult[]): ModelMatching {
  const partner = new Map<ModelResult, ModelPair>();
  const taken = new Set<ModelResult>();
  const passes: [ModelPair["matchedBy"], (x: ModelResult, y: ModelResult) => boolean][] = [
    ["fingerprint", (x, y) => x.fileFingerprint === y.fileFingerprint && sameSettings(x.settings, y.settings)],
    ["fingerprint", (x, y) => x.fileFingerprint === y.fileFingerprint],
    ["label", (x, y) => x.label === y.label && sameSettings(x.settings, y.settings)],
    ["label", (x, y) => x.label === y.label],
  ];
  for (const [matchedBy, fits] of passes) {
    for (const x of a) {
      if (partner.has(x)) continue;
      const y = b.find((candidate) => !taken.has(candidate) && fits(x, candidate));
      if (!y) continue;
      partner.set(x, { a: x, b: y, matchedBy });
      taken.add(y);
    }
  }
  return {
    pairs: a.flatMap((x) => partner.get(x) ?? []),
    onlyInA: a.filter((x) => !partner.has(x)),
    onlyInB: b.filter((y) => !taken.has(y)),
  };
}

export function sameSettings(x: CaseSettings, y: CaseSettings): boolean {
  return settingsDifferences(x, y).length === 0;
}

/** The settings that differ, as "threads 2 → 4", in CaseSettings order. */
export function settingsDifferences(x: CaseSettings, y: CaseSettings): string[] {
  return (Object.keys(x) as (keyof CaseSettings)[])
    .filter((key) => x[key] !== y[key])
    .map((key) => `${key} ${String(x[key])} → ${String(y[key])}`);
}
