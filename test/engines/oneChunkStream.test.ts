import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { runOpenaiGroup } from "../../src/engines/runOpenaiGroup.ts";
import { STANDARD_PROMPTS } from "../../src/prompts/standardPrompts.ts";
import { renderCsv } from "../../src/report/renderCsv.ts";
import { renderHtml } from "../../src/report/renderHtml.ts";
import { renderMarkdown } from "../../src/report/renderMarkdown.ts";
import { validateRunResults } from "../../src/results/validateRunResults.ts";
import { buildInference } from "../../src/runner/assembleModelResults.ts";
import { groupCase, groupJob } from "../helpers/groupJob.ts";
import { buildRun } from "../helpers/resultsBuilder.ts";
import { markdownSection } from "../report/reportFixtures.ts";

/**
 * A real OpenAI-compatible HTTP server. A prompt for which `inOneChunk` is true gets every generated token in ONE
 * chunk (as a server without token streaming sends them: the client sees first token = last token, a generation
 * span of 0 ms); any other prompt gets them in two chunks 30 ms apart. Then the usage: 10 tokens either way.
 */
async function completionServer(inOneChunk: (prompt: string) => boolean): Promise<{ url: string; close: () => void }> {
  const server = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      const prompt = body.startsWith("{") ? String((JSON.parse(body) as { prompt?: unknown }).prompt ?? "") : "";
      response.writeHead(200, { "content-type": "text/event-stream" });
      const usage = 'data: {"choices":[],"usage":{"prompt_tokens":12,"completion_tokens":10}}\n\ndata: [DONE]\n\n';
      if (inOneChunk(prompt)) {
        response.write('data: {"choices":[{"text":" once upon a time there was a tiny model"}]}\n\n');
        response.end(usage);
        return;
      }
      response.write('data: {"choices":[{"text":" the first"}]}\n\n');
      setTimeout(() => {
        response.write('data: {"choices":[{"text":" and the other nine"}]}\n\n');
        response.end(usage);
      }, 30);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, close: () => server.close() };
}

/** One openai case against `url`: 10 tokens a request, no warm-up, the given timed runs and concurrency levels. */
async function openaiCase(url: string, shape: { runs: number; concurrency: number[]; requestsPerLevel: number }) {
  const job = groupJob("/not/read/m.gguf", {
    cases: [groupCase({ engine: "openai" })],
    warmupRuns: 0,
    runs: shape.runs,
    maxTokens: 10,
  });
  const run = await runOpenaiGroup({
    endpoint: { baseUrl: url, model: null, apiKey: null, idleTimeoutMs: 5000 },
    job,
    synthetic: false,
    concurrency: shape.concurrency,
    requestsPerLevel: shape.requestsPerLevel,
    timeoutMs: 60_000,
  });
  return run.collected.cases[0];
}

const ONE_CHUNK_REASON =
  "the tokens arrived at once (e.g. a server that sends them in one chunk): a span of 0 ms cannot be timed";

test("a server that sends all tokens in one chunk: generation tokens/s is null with its reason, never 0, in every format", async () => {
  const server = await completionServer(() => true);
  try {
    const collected = await openaiCase(server.url, { runs: 2, concurrency: [2], requestsPerLevel: 2 });
    assert.ok(collected && collected.samples.length > 0, JSON.stringify(collected?.errors));
    for (const s of collected.samples) {
      assert.equal(s.outputTokens, 10);
      assert.equal(s.generationMs, 0);
      assert.equal(s.generationTokensPerSecond, null, "an empty span is not measured, not 0 tokens/s");
    }
    // The concurrency level: no request had an ITL (0 ms over 9 gaps is no latency of 0 ms), and it says why.
    const [level] = collected.concurrency;
    assert.ok(level?.status === "ok", JSON.stringify(level));
    assert.equal(level.itlMs.n, 0, "no fake 0 ms ITL in the distribution");
    assert.deepEqual(level.itlNotMeasured, { requests: 2, reasons: [ONE_CHUNK_REASON] });

    // The results file: the sample schema takes the null, the summary leaves it out (n = 0).
    const results = buildRun({ models: [{ label: "one-chunk.gguf", settings: { engine: "openai" } }] });
    const model = results.models[0];
    assert.ok(model);
    model.inference = buildInference(512, collected.samples, collected.stopping);
    model.concurrency = collected.concurrency;
    assert.equal(model.inference.summaries.generationTokensPerSecond.n, 0);
    const checked = validateRunResults(JSON.parse(JSON.stringify(results)), "test");
    assert.equal(checked.models[0]?.inference?.samples[0]?.generationTokensPerSecond, null);

    const markdown = renderMarkdown([results]);
    const summary = markdownSection(markdown, "Summary");
    assert.match(summary, /\| one-chunk\.gguf +\| +—¹ \|/, "the generation cell is a marked dash");
    assert.match(
      summary,
      /—[¹²] not measured: the tokens arrived at once \(e\.g\. a server that sends them in one chunk\)/,
    );
    assert.match(markdown, /Generation speed: not measured: the tokens arrived at once/);
    assert.doesNotMatch(summary, /\| one-chunk\.gguf +\| 0\.00/);
    const concurrency = markdownSection(markdown, "Concurrency");
    const row = concurrency.split("\n").find((l) => l.startsWith("| one-chunk.gguf")) ?? "";
    const itlColumn = 7;
    const itl = row.split("|").map((cell) => cell.trim())[itlColumn + 1] ?? "";
    const mark = /^—([¹²³⁴⁵])$/.exec(itl)?.[1];
    assert.ok(mark, `the ITL cell is a marked dash, not 0: ${row}`);
    assert.ok(
      concurrency.includes(`- —${mark} not measured: no finished request had an ITL: ${ONE_CHUNK_REASON}.`),
      concurrency,
    );
    const html = await renderHtml([results]);
    assert.match(html, /not measured: the tokens arrived at once/);

    const csv = renderCsv([results]).split("\r\n");
    const sampleRows = csv.filter((l) => /,inference,512,creative-writing,0,generation_tokens_per_second,/.test(l));
    assert.deepEqual(
      sampleRows.map((l) => l.split(",").slice(9, 11)),
      [
        ["value", ""],
        [
          "not_measured",
          "the tokens arrived at once (e.g. a server that sends them in one chunk): a span of 0 ms cannot be timed",
        ],
      ],
    );
    assert.ok(
      csv.some((l) => /generation_tokens_per_second,mean,,tokens\/s,$/.test(l)),
      "the summary mean is empty, not 0",
    );
    assert.ok(
      csv.some((l) => /,concurrency_2_itl_ms,p50,,ms,$/.test(l)),
      "the ITL p50 is empty, not 0",
    );
    assert.ok(csv.some((l) => /,concurrency_2_itl_not_measured,value,2,requests,$/.test(l)));
    assert.ok(
      csv.some((l) =>
        l.includes(
          ",concurrency_2_itl_ms,not_measured,2 finished request(s) without an ITL: the tokens arrived at once",
        ),
      ),
    );
  } finally {
    server.close();
  }
});

test("a level where some requests came in one chunk: ITL over the others only, the rest counted and marked in the report", async () => {
  const creative = STANDARD_PROMPTS.find((p) => p.id === "creative-writing")?.text ?? "";
  assert.ok(creative.length > 0);
  const server = await completionServer((prompt) => prompt.includes(creative));
  try {
    // Requests 0–3 of the level take the prompts in turn: the creative-writing one (the third) once.
    const collected = await openaiCase(server.url, { runs: 1, concurrency: [1], requestsPerLevel: 4 });
    const [level] = collected?.concurrency ?? [];
    assert.ok(level?.status === "ok", JSON.stringify(collected?.errors));
    assert.equal(level.errorCount, 0);
    assert.equal(level.itlMs.n, 3, "the three two-chunk requests have an ITL");
    assert.ok(level.itlMs.min > 0, "no 0 ms ITL among them");
    assert.deepEqual(level.itlNotMeasured, { requests: 1, reasons: [ONE_CHUNK_REASON] });

    const results = buildRun({ models: [{ label: "mixed.gguf", settings: { engine: "openai" } }] });
    const model = results.models[0];
    assert.ok(model && collected);
    model.concurrency = collected.concurrency;
    assert.deepEqual(
      validateRunResults(JSON.parse(JSON.stringify(results)), "test").models[0]?.concurrency[0],
      JSON.parse(JSON.stringify(level)),
      "results.json keeps itlNotMeasured",
    );
    const concurrency = markdownSection(renderMarkdown([results]), "Concurrency");
    const row = concurrency.split("\n").find((l) => l.startsWith("| mixed.gguf")) ?? "";
    const itl = row.split("|").map((cell) => cell.trim())[8] ?? "";
    const figures = /^([\d.]+) \/ ([\d.]+) ([¹²³⁴⁵])$/.exec(itl);
    assert.ok(figures, `the ITL p50 / p99 carry a mark: ${row}`);
    assert.equal(Number(figures[1]), Number(level.itlMs.p50.toFixed(1)));
    assert.ok(
      concurrency.includes(
        `- —${figures[3]} not measured: the ITL of 1 of 4 finished requests (left out of the figures marked): ${ONE_CHUNK_REASON}.`,
      ),
      concurrency,
    );
  } finally {
    server.close();
  }
});
