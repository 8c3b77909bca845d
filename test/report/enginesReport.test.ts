import assert from "node:assert/strict";
import { test } from "node:test";
import { analyzeRuns } from "../../src/analysis/caseAnalysis.ts";
import { engineComparisons, saturationLevel, servingOverhead } from "../../src/analysis/engineComparison.ts";
import { renderHtml } from "../../src/report/renderHtml.ts";
import { renderMarkdown } from "../../src/report/renderMarkdown.ts";
import type { ConcurrencyResult, LatencySummary } from "../../src/results/types.ts";
import { validateRunResults } from "../../src/results/validateRunResults.ts";
import { buildRun } from "../helpers/resultsBuilder.ts";
import { markdownSection } from "./reportFixtures.ts";

const latency = (p50: number): LatencySummary => ({
  n: 4,
  mean: p50,
  sd: 1,
  min: p50 - 1,
  max: p50 + 1,
  median: p50,
  ci95Low: p50 - 1,
  ci95High: p50 + 1,
  ciMethod: "t",
  cv: 0,
  p50,
  p90: p50 + 1,
  p99: p50 + 2,
});
const level = (concurrency: number, outputTokensPerSecond: number): ConcurrencyResult => ({
  concurrency,
  status: "ok",
  requests: 4,
  errorCount: 0,
  errors: [],
  durationMs: 1000,
  requestsPerSecond: 4,
  outputTokensPerSecond,
  ttftMs: latency(10 * concurrency),
  itlMs: latency(2),
  e2eMs: latency(100 * concurrency),
  peakRssBytes: 1024 * 1024 * 100,
});

/** One model on both engines: in-process at 100 tokens/s; llama-server timing itself at 63 tokens per 320 ms. */
function twoEngines() {
  const run = buildRun({
    models: [
      {
        label: "m.gguf",
        fingerprint: "fp",
        settings: { engine: "node-llama-cpp" },
        samples: { generationTokensPerSecond: [100, 100] },
      },
      {
        label: "m.gguf",
        fingerprint: "fp",
        settings: { engine: "llama-server" },
        samples: { generationTokensPerSecond: [180, 180], totalMs: [500, 700] },
      },
    ],
  });
  const server = run.models[1];
  if (!server?.inference) throw new Error("fixture");
  // 32 prompt tokens in 40 ms and 64 tokens in 320 ms by the server's clock; the client saw 500 and 700 ms.
  for (const s of server.inference.samples)
    s.server = { promptTokens: 32, promptMs: 40, predictedTokens: 64, predictedMs: 320 };
  server.concurrency = [level(1, 100), level(2, 180), level(4, 185)];
  run.config.sweep.engine = ["node-llama-cpp", "llama-server"];
  return run;
}

test("serving overhead: client end-to-end minus the server's own prompt + generation time", () => {
  const run = twoEngines();
  assert.equal(servingOverhead(run.models[0] as never), null, "no server timings in-process");
  assert.deepEqual(servingOverhead(run.models[1] as never), {
    n: 2,
    serverPromptTokensPerSecond: 800,
    serverGenerationTokensPerSecond: (63 * 1000) / 320,
    overheadMs: (140 + 340) / 2,
    // The mean of the per-request shares, as every figure of the table is a mean of per-request values.
    overheadFraction: (140 / 500 + 340 / 700) / 2,
  });
  const [comparison] = engineComparisons(analyzeRuns([run]).cases);
  assert.deepEqual(
    comparison?.rows.map((r) => r.engine),
    ["node-llama-cpp", "llama-server"],
  );
  assert.equal(comparison?.inProcessShareOfNative, 100 / ((63 * 1000) / 320));
});

test("server speeds are means of per-request rates, like the client's: a slow request weighs as much as a fast one", () => {
  const run = twoEngines();
  const server = run.models[1];
  if (!server?.inference) throw new Error("fixture");
  const [fast, slow] = server.inference.samples.filter((s) => !s.warmup);
  if (!fast || !slow) throw new Error("fixture");
  // 9 tokens = 8 steps in 10 ms (800 tokens/s) and in 90 ms (88.9 tokens/s): the mean of rates is 444.4 tokens/s;
  // Σ tokens ÷ Σ time would say 160 tokens/s, a different kind of average from the client's mean of per-run rates.
  fast.server = { promptTokens: 10, promptMs: 10, predictedTokens: 9, predictedMs: 10 };
  slow.server = { promptTokens: 10, promptMs: 40, predictedTokens: 9, predictedMs: 90 };
  const overhead = servingOverhead(server);
  assert.equal(overhead?.serverGenerationTokensPerSecond, (800 + 8000 / 90) / 2);
  assert.equal(overhead?.serverPromptTokensPerSecond, (1000 + 250) / 2);
  // One generated token has no timed step: no rate, not 0.
  for (const s of server.inference.samples)
    s.server = { promptTokens: 10, promptMs: 0, predictedTokens: 1, predictedMs: 0 };
  const none = servingOverhead(server);
  assert.equal(none?.serverGenerationTokensPerSecond, null);
  assert.equal(none?.serverPromptTokensPerSecond, null);
  const engines = markdownSection(renderMarkdown([run]), "Engines side by side");
  // Every "—" carries a mark naming its reason, listed under the table.
  assert.match(engines, /\| llama-server +\| .* \| +—² \| +—³ \| +[\d.,]+ \| +[\d.,]+% \|/);
  assert.match(engines, /\| node-llama-cpp +\| .* \| +—¹ \| +—¹ \| +—¹ \| +—¹ \|/);
  assert.match(engines, /- —¹ not measured: in-process there is no server/);
  assert.match(engines, /- —² not measured: no request had a server-timed prompt span\./);
  assert.match(engines, /- —³ not measured: no request generated two tokens in a server-timed span/);
  assert.doesNotMatch(engines, /— \|/, "no bare dash");
});

test("saturation: the first level whose next adds less than 5%; still rising otherwise", () => {
  assert.deepEqual(saturationLevel([level(1, 100), level(2, 180), level(4, 185)]), { level: 2, stillRising: false });
  assert.deepEqual(saturationLevel([level(1, 100), level(2, 180)]), { level: null, stillRising: true });
  assert.deepEqual(saturationLevel([level(1, 100)]), { level: null, stillRising: false });
});

test("a level that took 0 ms: its rates are a marked — with the reason, out of the chart and the saturation search", () => {
  const instant: ConcurrencyResult = {
    ...(level(2, 0) as Extract<ConcurrencyResult, { status: "ok" }>),
    durationMs: 0,
    requestsPerSecond: null,
    outputTokensPerSecond: null,
    throughputNotMeasuredReason: "the level took 0 ms on the clock: no duration to divide the requests and tokens by",
  };
  // Without the instant level 2, levels 1 and 4 rise by 85%: still rising, not "saturated at 1".
  assert.deepEqual(saturationLevel([level(1, 100), instant, level(4, 185)]), { level: null, stillRising: true });
  const run = buildRun({ models: [{ label: "m.gguf", settings: { engine: "llama-server" } }] });
  const model = run.models[0];
  if (!model) throw new Error("fixture");
  model.concurrency = [level(1, 100), instant];
  // results.json takes the nulls (and the reason) as they are.
  const read = validateRunResults(JSON.parse(JSON.stringify(run)), "results.json");
  const levels = read.models[0]?.concurrency ?? [];
  assert.ok(levels[1]?.status === "ok");
  assert.equal(levels[1].requestsPerSecond, null);
  const markdown = renderMarkdown([read]);
  const section = markdownSection(markdown, "Concurrency");
  const rows = section.split("\n").filter((l) => l.startsWith("| m.gguf"));
  assert.match(rows[1] ?? "", /^\| m\.gguf \(llama-server\) +\| +2 \| +4 \(0\) \| +—¹ \| +—¹ \|/);
  assert.match(
    section,
    /^- —¹ not measured: the level took 0 ms on the clock: no duration to divide the requests and tokens by\.$/m,
  );
  assert.doesNotMatch(section, /Infinity|NaN/);
  assert.match(section, /fewer than two levels measured/);
});

test("the report: engines side by side with the overhead and the gap, the concurrency table and charts", async () => {
  const markdown = renderMarkdown([twoEngines()]);
  const engines = markdownSection(markdown, "Engines side by side");
  assert.match(engines, /\| llama-server +\| .* \| +800\.00 \| +196\.88 \| +240\.00 \| +38\.3% \|/);
  assert.match(
    engines,
    /In-process generation \(client-side, mean of per-request rates\) runs at 50\.8% of llama-server's own server-timed generation speed \(mean of per-request rates\)/,
  );
  assert.match(
    engines,
    /stays far below what llama\.cpp does on this machine\. `gguf-bench engine build --binding` builds/,
  );
  assert.ok(!engines.includes("\\`"), "the command is a code span, not escaped backticks");
  const html = await renderHtml([twoEngines()]);
  assert.match(
    html,
    /far below what llama\.cpp does on this machine\. <code>gguf-bench engine build --binding<\/code> builds/,
  );
  assert.ok(!html.includes("`gguf-bench"), "no literal backticks in HTML");
  const concurrency = markdownSection(markdown, "Concurrency");
  assert.match(concurrency, /\| +4 \| +4 \(0\) \| +4\.00 \| +185\.0 \|/);
  assert.match(concurrency, /stops rising at 2 stream\(s\)/);
  const one = renderMarkdown([buildRun({ models: [{ label: "solo.gguf" }] })]);
  assert.ok(!one.includes("Engines side by side") && !one.includes("## Concurrency"), "nothing to compare: no section");
});

test("Concurrency: a level that did not run, an ITL with no gap and memory not read each mark their — with the reason", () => {
  const run = buildRun({ models: [{ label: "m.gguf", settings: { engine: "llama-server" } }] });
  const model = run.models[0];
  if (!model) throw new Error("fixture");
  const oneToken = { ...level(1, 50), itlMs: { ...latency(0), n: 0 }, peakRssBytes: null };
  model.concurrency = [oneToken, { concurrency: 2, status: "unsupported", reason: "one slot" }];
  const section = markdownSection(renderMarkdown([run]), "Concurrency");
  const rows = section.split("\n").filter((l) => l.startsWith("| m.gguf"));
  assert.match(rows[0] ?? "", /\| +—¹ \|.*\| +—² \|$/);
  assert.match(rows[1] ?? "", /\| unsupported: one slot +\|( +—³ \|){8}$/);
  assert.match(
    section,
    /^- —¹ not measured: no request produced two or more tokens: no gap between tokens to time\.$/m,
  );
  assert.match(section, /^- —² not measured: memory was not read during this level\.$/m);
  assert.match(section, /^- —³ not measured: the level did not run \(the Requests column says why\)\.$/m);
  assert.doesNotMatch(section, /\| +— \|/);
});
