import type { RunResults, Warning } from "../results/types.ts";
import { machineIdentity } from "../store/machineIdentity.ts";

/** A figure of the run (not of one case) that changes what the numbers mean when it differs. */
interface Fact {
  name: string;
  code: "environment-differs" | "settings-differ";
  get: (run: RunResults) => unknown;
}

const GIB = 1024 ** 3;

const FACTS: Fact[] = [
  // The machine first (its fingerprint covers hostname, CPU, RAM, GPUs, OS), then what differs in it.
  { name: "machine", code: "environment-differs", get: (r) => machineIdentity(r.environment).name },
  { name: "CPU", code: "environment-differs", get: (r) => r.environment.cpu.model },
  {
    name: "CPU family/model",
    code: "environment-differs",
    get: ({ environment: { cpu } }) =>
      cpu.family == null || cpu.modelNumber == null ? null : `${cpu.family}/${cpu.modelNumber}`,
  },
  {
    name: "SIMD features",
    code: "environment-differs",
    get: (r) => (r.environment.cpu.simd?.length ? r.environment.cpu.simd.join(" ") : null),
  },
  {
    name: "RAM",
    code: "environment-differs",
    get: (r) => `${Math.round(r.environment.memory.totalBytes / GIB)} GiB`,
  },
  {
    name: "GPUs",
    code: "environment-differs",
    get: (r) => r.environment.gpus.map((g) => `${g.vendor} ${g.model}`).join(", ") || "none",
  },
  { name: "logical cores", code: "environment-differs", get: (r) => r.environment.cpu.logicalCores },
  { name: "llama.cpp build", code: "environment-differs", get: (r) => r.environment.llamaCppBuild },
  // Recorded since 2026-12-01: null in older runs (history databases read them without the schema's defaults,
  // hence ??), and then no warning: the compare output says the commit is unknown instead.
  { name: "llama.cpp commit", code: "environment-differs", get: (r) => r.environment.llamaCppCommit ?? null },
  { name: "node-llama-cpp", code: "environment-differs", get: (r) => r.environment.nodeLlamaCpp },
  { name: "backend", code: "environment-differs", get: (r) => r.environment.backend },
  { name: "Node.js", code: "environment-differs", get: (r) => r.environment.node },
  { name: "OS", code: "environment-differs", get: (r) => `${r.environment.os.platform} ${r.environment.os.release}` },
  { name: "max tokens", code: "settings-differ", get: (r) => r.config.maxTokens },
  { name: "inference context size", code: "settings-differ", get: (r) => r.config.inferenceContextSize },
  { name: "warm-up runs", code: "settings-differ", get: (r) => r.config.warmupRuns },
  { name: "prompts", code: "settings-differ", get: (r) => r.config.prompts.map((p) => `${p.id}:${p.text}`).join("\n") },
];

/**
 * pyperf's rule: numbers from different environments or settings are not comparable as they stand, so every
 * difference is reported beside the comparison (not hidden, not fatal: comparing machines is a use too).
 */
export function environmentWarnings(a: RunResults, b: RunResults): Warning[] {
  const warnings: Warning[] = [];
  for (const fact of FACTS) {
    const x = fact.get(a);
    const y = fact.get(b);
    // null: not recorded (a run from before the field existed, read without the schema's defaults).
    if (x === y || x == null || y == null) continue;
    const shown = fact.name === "prompts" ? "" : `: ${String(x)} → ${String(y)}`;
    warnings.push({
      code: fact.code,
      message: `${fact.name} differs between the runs${shown}`,
      hint:
        fact.code === "environment-differs"
          ? "differences may come from the environment, not the model: compare runs from the same machine and build"
          : "run both with the same options for a like-for-like comparison",
    });
  }
  return warnings;
}
