import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { runOpenaiGroup } from "../../src/engines/runOpenaiGroup.ts";
import { renderCsv } from "../../src/report/renderCsv.ts";
import { renderHtml } from "../../src/report/renderHtml.ts";
import { renderMarkdown } from "../../src/report/renderMarkdown.ts";
import { validateRunResults } from "../../src/results/validateRunResults.ts";
import { buildInference } from "../../src/runner/assembleModelResults.ts";
import { groupCase, groupJob } from "../helpers/groupJob.ts";
import { buildRun } from "../helpers/resultsBuilder.ts";
import { markdownSection } from "../report/reportFixtures.ts";

/**
 * A real OpenAI-compatible HTTP server that sends every generated token in ONE chunk (as a server without
 * token streaming does), then the usage: the client sees first token = last token, a generation span of 0 ms.
 */
async function oneChunkServer(): Promise<{ url: string; close: () => void }> {
  const server = http.createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.write('data: {"choices":[{"text":" once upon a time there was a tiny model"}]}\n\n');
      response.end('data: {"choices":[],"usage":{"prompt_tokens":12,"completion_tokens":10}}\n\ndata: [DONE]\n\n');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, close: () => server.close() };
}

test("a server that sends all tokens in one chunk: generation tokens/s is null with its reason, never 0, in every format", async () => {
  const server = await oneChunkServer();
  try {
    const job = groupJob("/not/read/m.gguf", {
      cases: [groupCase({ engine: "openai" })],
      warmupRuns: 0,
      maxTokens: 10,
    });
    const run = await runOpenaiGroup({
      endpoint: { baseUrl: server.url, model: null, apiKey: null, idleTimeoutMs: 5000 },
      job,
      synthetic: false,
      concurrency: [],
      requestsPerLevel: 0,
      timeoutMs: 60_000,
    });
    const collected = run.collected.cases[0];
    assert.ok(collected && collected.samples.length > 0, JSON.stringify(collected?.errors));
    for (const s of collected.samples) {
      assert.equal(s.outputTokens, 10);
      assert.equal(s.generationMs, 0);
      assert.equal(s.generationTokensPerSecond, null, "an empty span is not measured, not 0 tokens/s");
    }

    // The results file: the sample schema takes the null, the summary leaves it out (n = 0).
    const results = buildRun({ models: [{ label: "one-chunk.gguf", settings: { engine: "openai" } }] });
    const model = results.models[0];
    assert.ok(model);
    model.inference = buildInference(512, collected.samples, collected.stopping);
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
  } finally {
    server.close();
  }
});
