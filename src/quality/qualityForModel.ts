import path from "node:path";
import type { QualityResult } from "../results/types.ts";
import type { ModelIdentity } from "../runner/assembleModelResults.ts";
import type { QualityJob } from "../worker/protocol.ts";
import type { QualitySetup } from "./prepareQuality.ts";
import { vocabularyFingerprint } from "./vocabularyFingerprint.ts";

export const SYNTHETIC_QUALITY_REASON =
  "synthetic model: its weights are random, so there is no quality to lose; perplexity and KL divergence are not measured";

/**
 * Whether one model gets the quality stage, and if not, the result that says why: no --quality (neither), a
 * synthetic model (skipped), reference distributions that could not be computed or a vocabulary that differs
 * from the reference's (error, before any process starts).
 */
export async function qualityForModel(
  identity: ModelIdentity,
  setup: QualitySetup | null,
  outDir: string,
): Promise<{ job: QualityJob | null; result: QualityResult | null }> {
  if (setup === null) return { job: null, result: null };
  if (identity.synthetic) return { job: null, result: { status: "skipped", reason: SYNTHETIC_QUALITY_REASON } };
  const { config } = setup;
  const textFile = path.join(outDir, config.textFile);
  const reference = config.reference;
  if (reference === null || setup.referenceVocabulary === null)
    return { job: { textFile, contextSize: config.contextSize, reference: null }, result: null };
  const outcome = reference.outcome;
  if (outcome?.status !== "ok") {
    const why = outcome?.status === "error" ? outcome.message : "they were not computed";
    return {
      job: null,
      result: { status: "error", code: "reference-failed", message: `no reference distributions (${why})` },
    };
  }
  const vocabulary = await vocabularyFingerprint(identity.file).catch(() => null);
  const expected = setup.referenceVocabulary;
  if (vocabulary?.fingerprint !== expected.fingerprint) {
    const sizes =
      vocabulary === null
        ? "it has no token list"
        : vocabulary.tokens === expected.tokens
          ? `both have ${expected.tokens} tokens, but different ones`
          : `${vocabulary.tokens} tokens against ${expected.tokens}`;
    return {
      job: null,
      result: {
        status: "error",
        code: "vocab-mismatch",
        message: `${identity.label} and the reference ${reference.label} have different vocabularies (${sizes}); KL divergence needs the same tokenizer`,
      },
    };
  }
  return {
    job: {
      textFile,
      contextSize: config.contextSize,
      reference: {
        distributionsFile: path.join(outDir, reference.distributionsFile),
        label: reference.label,
        fingerprint: reference.fingerprint,
      },
    },
    result: null,
  };
}
