import type { LoadGroup } from "../plan/planCases.ts";
import type { CaseSettings } from "../results/types.ts";
import type { RunConfigWithNotes } from "./runConfig.ts";

const onOff = (b: boolean) => (b ? "on" : "off");

function caseLine(c: CaseSettings): string {
  // node-llama-cpp adds 1 to the batch of a sliding-window model (LlamaContext; ubatchRun, src/analysis/ubatchRun.ts):
  // the plan is made before the headers are read, so it says so rather than guess which models have one.
  const swa = c.engine === "node-llama-cpp" ? ` (${c.batchSize + 1} for a sliding-window model)` : "";
  return `threads ${c.threads}, batch ${c.batchSize}, ubatch ${c.ubatchSize}${swa}, flash-attn ${onOff(c.flashAttention)}, kv ${c.kvCacheType}`;
}

/**
 * The plain-text plan that `run --dry-run` prints: models × engines × settings, one process per load group (a
 * server engine: one per case).
 */
export function describePlan(labels: string[], groups: LoadGroup[], config: RunConfigWithNotes): string {
  const lines: string[] = [];
  const cases = groups.reduce((n, g) => n + g.cases.length, 0);
  lines.push(
    `${labels.length} model(s), ${groups.length} load group(s) (one process each; a server engine starts one more per context size), ${cases} case(s)`,
  );
  const auto = config.autoRuns;
  const timed = auto
    ? `${config.runs}–${auto.maxRuns} timed runs: more until the 95% CI is within ±${auto.targetCiFraction * 100}% or ${auto.timeBudgetMs / 1000} s`
    : `${config.runs} timed runs`;
  lines.push(
    `per case: ${config.prompts.length} prompts × (${config.warmupRuns} warm-up + ${timed}), max ${config.maxTokens} tokens, inference context ${config.inferenceContextSize}; contexts ${config.contexts.join(", ")}`,
  );
  lines.push(`threads: ${config.threadsSource}; timeout ${config.timeoutMs / 1000} s per case; seed ${config.seed}`);
  const { serving } = config;
  if (serving.concurrency.length > 0)
    lines.push(
      `concurrency ${serving.concurrency.join(", ")}: ${serving.requestsPerLevel} requests per level (closed loop)`,
    );
  if (serving.endpoint !== null) lines.push(`openai endpoint: ${serving.endpoint}`);
  for (const group of groups) {
    const { load } = group;
    lines.push(
      `- ${labels[group.modelIndex] ?? `model ${group.modelIndex + 1}`}: ${load.engine}, mmap ${onOff(load.mmap)}, gpu layers ${load.gpuLayers}, cache ${load.cache}`,
    );
    for (const c of group.cases) lines.push(`    ${caseLine(c)}`);
  }
  for (const note of config.notes) lines.push(`note: ${note}`);
  return `${lines.join("\n")}\n`;
}
