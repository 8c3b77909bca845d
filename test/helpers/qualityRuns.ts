/**
 * gguf-bench's quality stage driven through the runner directly (no CLI, no report): the reference pass, then one
 * load group per model with a minimal benchmark and the quality stage. For the agreement test and
 * scripts/bench-quality.ts, which compare its figures with llama-perplexity's.
 */
import path from "node:path";
import type { QualityResult, ReferenceOutcome } from "../../src/results/types.ts";
import { runGroup } from "../../src/runner/runGroup.ts";
import type { GroupJob } from "../../src/worker/protocol.ts";

export interface OurQuality {
  reference: ReferenceOutcome;
  models: {
    file: string;
    quality: QualityResult | null;
    contexts: GroupJob["contexts"];
    peakAtContext: number | null;
  }[];
}

export async function ourQuality(options: {
  reference: string;
  models: string[];
  textFile: string;
  context: number;
  threads: number;
  outDir: string;
  /** Also measure a plain context window of this size (no quality) for the memory comparison. */
  plainContext?: number;
}): Promise<OurQuality> {
  const settings = {
    threads: options.threads,
    batchSize: options.context,
    ubatchSize: options.context,
    flashAttention: false,
    kvCacheType: "f16" as const,
    mmap: true,
    gpuLayers: 0,
    cache: "unknown" as const,
    engine: "node-llama-cpp" as const,
  };
  const distributionsFile = path.join(options.outDir, "quality-reference.bin");
  const referenceRun = await runGroup({
    job: {
      kind: "reference",
      file: options.reference,
      label: path.basename(options.reference),
      fingerprint: "test",
      vocabularyFingerprint: "test",
      mmap: true,
      gpuLayers: 0,
      settings,
      textFile: options.textFile,
      textSha256: "test",
      contextSize: options.context,
      outFile: distributionsFile,
    },
    timeoutMs: 1_800_000,
  });
  const reference = referenceRun.collected.reference ?? {
    status: "error",
    code: referenceRun.processError?.code ?? "none",
    message: referenceRun.processError?.message ?? "no outcome",
  };
  const models: OurQuality["models"] = [];
  for (const file of options.models) {
    const contexts = options.plainContext ? [options.plainContext] : [];
    const run = await runGroup({
      job: {
        file,
        mmap: true,
        gpuLayers: 0,
        cache: "unknown",
        cases: [settings],
        runs: 1,
        autoRuns: null,
        warmupRuns: 0,
        maxTokens: 2,
        inferenceContextSize: options.context,
        contexts,
        seed: 1,
        prompts: [{ id: "p", title: "p", text: "Once upon a time" }],
        trainingContextLength: null,
        allowBeyondTrainingContext: true,
        concurrency: [],
        requestsPerLevel: 0,
        quality: {
          textFile: options.textFile,
          contextSize: options.context,
          reference: { distributionsFile, label: path.basename(options.reference), fingerprint: "test" },
        },
      },
      timeoutMs: 1_800_000,
    });
    const plain = run.collected.cases[0]?.contexts[0];
    models.push({
      file,
      quality: run.collected.cases[0]?.quality ?? null,
      contexts,
      peakAtContext: plain?.status === "ok" ? plain.peakRssBytes : null,
    });
  }
  return { reference, models };
}
