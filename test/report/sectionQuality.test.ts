import assert from "node:assert/strict";
import { test } from "node:test";
import { analyzeRuns } from "../../src/analysis/caseAnalysis.ts";
import { SYNTHETIC_QUALITY_REASON } from "../../src/quality/qualityForModel.ts";
import { renderCsv } from "../../src/report/renderCsv.ts";
import { renderJson } from "../../src/report/renderJson.ts";
import { renderMarkdown } from "../../src/report/renderMarkdown.ts";
import type { KldResult, QualityMeasured, RunResults } from "../../src/results/types.ts";
import { buildRun } from "../helpers/resultsBuilder.ts";

function measured(meanNats: number, perplexity: number): QualityMeasured {
  const kld: KldResult = {
    referenceLabel: "model-F16.gguf",
    referenceFingerprint: "ref-fp",
    positions: 1000,
    meanNats,
    standardErrorNats: meanNats / 20,
    medianNats: meanNats / 2,
    p99Nats: meanNats * 8,
    maxNats: meanNats * 20,
    sameTopFraction: 1 - meanNats,
    sameTopStandardError: 0.005,
    rmsDeltaP: meanNats / 4,
    rmsDeltaPStandardError: 0.001,
    referencePerplexity: 10,
  };
  return {
    status: "ok",
    contextSize: 512,
    batchSize: 512,
    textTokens: 4500,
    chunks: 8,
    scoredTokens: 2040,
    tokensFrom: "reference",
    durationMs: 20400,
    msPerScoredToken: 10,
    peakRssBytes: 300 * 1024 ** 2,
    perplexity,
    perplexityStandardError: 0.2,
    kld,
    notes: [],
  };
}

/** Three files of one model: Q8_0 (big, best), Q5 (middle), Q4_0 (small, worst), plus a synthetic model. */
function ladder(): RunResults {
  const run = buildRun({
    models: [
      { label: "model-Q8_0.gguf", samples: { generationTokensPerSecond: [20, 20], peakRssBytes: [8e9, 8e9] } },
      { label: "model-Q5_1.gguf", samples: { generationTokensPerSecond: [18, 18], peakRssBytes: [6e9, 6e9] } },
      { label: "model-Q4_0.gguf", samples: { generationTokensPerSecond: [30, 30], peakRssBytes: [5e9, 5e9] } },
      { label: "synthetic.gguf" },
    ],
  });
  const [q8, q5, q4, synthetic] = run.models;
  assert.ok(q8 && q5 && q4 && synthetic);
  q8.info = { ...q8.info, fileBytes: 7e9 };
  q5.info = { ...q5.info, fileBytes: 5e9 };
  q4.info = { ...q4.info, fileBytes: 4e9 };
  q8.quality = measured(0.002, 10.05);
  q5.quality = measured(0.03, 10.3);
  q4.quality = measured(0.12, 11.1);
  synthetic.synthetic = true;
  synthetic.quality = { status: "skipped", reason: SYNTHETIC_QUALITY_REASON };
  run.config.quality = {
    textSource: "built-in",
    textSha256: "a".repeat(64),
    textCharacters: 18_000,
    textFile: "quality-text.txt",
    contextSize: 512,
    maxKldNats: 0.05,
    reference: {
      file: "/models/model-F16.gguf",
      label: "model-F16.gguf",
      fingerprint: "ref-fp",
      distributionsFile: "quality-reference.bin",
      outcome: {
        status: "ok",
        vocabSize: 32000,
        textTokens: 4500,
        chunks: 8,
        scoredTokens: 2040,
        topK: 1024,
        meanRestMass: 0.004,
        perplexity: 10,
        perplexityStandardError: 0.2,
        fileBytes: 17e6,
        durationMs: 30000,
      },
    },
  };
  return run;
}

test("Pareto fronts and the recommendation: the smallest file within --max-kld", () => {
  const [tradeoff] = analyzeRuns([ladder()]).quality;
  assert.ok(tradeoff);
  assert.equal(tradeoff.referenceLabel, "model-F16.gguf");
  const flags = Object.fromEntries(tradeoff.points.map((p) => [p.name, [p.paretoSpeed, p.paretoMemory]]));
  // Q5_1 is slower than Q8_0 and worse in KLD: dominated on speed; it uses less memory than Q8_0: on the memory front.
  assert.deepEqual(flags, {
    "model-Q8_0.gguf": [true, true],
    "model-Q5_1.gguf": [false, true],
    "model-Q4_0.gguf": [true, true],
  });
  assert.equal(tradeoff.recommended?.name, "model-Q5_1.gguf"); // Q4_0's 0.12 is over the 0.05 budget
});

test("the quality section: per-model figures with the reference named, the trade-off table, why synthetic has none", () => {
  const md = renderMarkdown([ladder()]);
  const section = md.slice(md.indexOf("## Quality: perplexity and KL divergence"));
  assert.ok(section.length > 0, "the section is there");
  assert.match(section, /Reference model-F16\.gguf: perplexity 10\.0000 ± 0\.2000/);
  assert.match(section, /its 1,024 most likely tokens kept per position \(mean mass outside 0\.400%\)/);
  assert.match(
    section,
    /\| model-Q8\\_0\.gguf +\| +6\.52 GiB \| 10\.0500 ± 0\.2000 \| model-F16\.gguf +\| 0\.002000 ± 0\.000100 \|/,
  );
  assert.match(
    section,
    /synthetic\.gguf \(synthetic\): synthetic model: its weights are random, so there is no quality to lose/,
  );
  assert.match(
    section,
    /Recommended: model-Q5\\_1\.gguf — the smallest file within the quality budget \(mean KLD ≤ 0\.0500 nats/,
  );
  assert.match(
    section,
    /\| model-Q5\\_1\.gguf \(recommended\) +\| +4\.66 GiB \| 0\.030000 \| 10\.3000 \| +18\.00 \| +5\.588 GiB \| no +\| yes +\|/,
  );
  const json = JSON.parse(renderJson([ladder()])) as { analysis: { quality: { recommended: { name: string } }[] } };
  assert.equal(json.analysis.quality[0]?.recommended.name, "model-Q5_1.gguf");
  assert.match(renderCsv([ladder()]), /,model-Q4_0\.gguf,false,quality,,,,kld_mean,value,0\.12,nats,\r\n/);
});

test("no file within the budget: the closest is named; no quality anywhere: no section", () => {
  const run = ladder();
  if (run.config.quality) run.config.quality.maxKldNats = 0.001;
  assert.match(
    renderMarkdown([run]),
    /No file is within the quality budget \(mean KLD ≤ 0\.0010 nats against model-F16\.gguf\); the closest is model-Q8\\_0\.gguf with mean KLD 0\.002000/,
  );
  assert.doesNotMatch(renderMarkdown([buildRun()]), /## Quality/);
});
