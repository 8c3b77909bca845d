import assert from "node:assert/strict";
import { test } from "node:test";
import { llamaServerArgs } from "../../src/engines/llamaServerArgs.ts";
import { parseRunOptions } from "../../src/suite/parseRunOptions.ts";

const model = ["/m/model.gguf"];

test("--engine is a sweep dimension; the serving options default to a run without them", () => {
  const plain = parseRunOptions(model, {});
  assert.deepEqual(plain.config.sweep.engine, ["node-llama-cpp"]);
  assert.deepEqual(plain.config.serving, {
    llamaServerPath: null,
    endpoint: null,
    servedModel: null,
    apiKeyEnv: null,
    requestTimeoutMs: 300_000,
    concurrency: [],
    requestsPerLevel: 0,
  });
  const both = parseRunOptions(model, {
    engine: "llama-server,node-llama-cpp",
    concurrency: "4,1,2",
    requests: "8",
    requestTimeout: "30",
    // Any executable file will do for the parser: node itself.
    llamaServer: process.execPath,
  });
  assert.deepEqual(both.config.sweep.engine, ["llama-server", "node-llama-cpp"]);
  assert.deepEqual(both.config.serving.concurrency, [1, 2, 4]);
  assert.equal(both.config.serving.requestsPerLevel, 8);
  assert.equal(both.config.serving.requestTimeoutMs, 30_000);
  assert.equal(both.config.serving.llamaServerPath, process.execPath);
});

test("openai: the endpoint is required, normalised to the API base, credentials refused, the caveats noted", () => {
  const run = parseRunOptions(model, { engine: "openai", endpoint: "http://127.0.0.1:8080/", servedModel: "m" });
  assert.equal(run.config.serving.endpoint, "http://127.0.0.1:8080/v1");
  assert.equal(run.config.serving.servedModel, "m");
  assert.ok(run.config.notes.some((n) => n.startsWith("openai engine: the endpoint's own settings apply")));
  assert.equal(
    parseRunOptions(model, { engine: "openai", endpoint: "https://api.example.com/v1/" }).config.serving.endpoint,
    "https://api.example.com/v1",
  );
});

test("each misuse of a serving option is a usage error naming the flag", () => {
  const cases: [Parameters<typeof parseRunOptions>[1], RegExp][] = [
    [{ engine: "vllm" }, /^--engine accepts node-llama-cpp, llama-server, openai; got 'vllm'$/],
    [{ engine: "openai" }, /^--engine openai needs --endpoint URL/],
    [{ endpoint: "http://x" }, /^--endpoint is an option of --engine openai$/],
    [{ llamaServer: "/x" }, /^--llama-server is an option of --engine llama-server$/],
    [
      { engine: "llama-server", llamaServer: "/nonexistent/llama-server" },
      /^--llama-server \/nonexistent\/llama-server does not exist; give the llama-server binary$/,
    ],
    [{ engine: "llama-server", llamaServer: "/" }, /^--llama-server \/ is not a file/],
    [{ engine: "openai", endpoint: "ftp://x" }, /^--endpoint must be an http\(s\) URL/],
    [{ engine: "openai", endpoint: "http://u:p@x" }, /must not carry credentials/],
    [
      { engine: "openai", endpoint: "http://x", apiKeyEnv: "NO_SUCH_VAR_FOR_GGUF_BENCH" },
      /NO_SUCH_VAR_FOR_GGUF_BENCH is not set/,
    ],
    [{ engine: "openai", endpoint: "http://x", apiKeyEnv: "1BAD" }, /name of an environment variable/],
    [{ concurrency: "0" }, /^--concurrency must be an integer from 1 to 256/],
    [{ requests: "4" }, /^--requests sets the requests per --concurrency level/],
    [{ requestTimeout: "0" }, /^--request-timeout must be an integer from 1/],
  ];
  for (const [raw, message] of cases) assert.throws(() => parseRunOptions(model, raw), { message });
});

test("llama-server's command line carries every setting of the case, and no prompt cache", () => {
  const args = llamaServerArgs({
    file: "/m/x.gguf",
    settings: {
      threads: 2,
      batchSize: 256,
      ubatchSize: 64,
      flashAttention: true,
      kvCacheType: "q8_0",
      mmap: false,
      gpuLayers: 0,
      cache: "unknown",
      engine: "llama-server",
    },
    contextSize: 1024,
    slots: 4,
    port: 9999,
  });
  const flag = (name: string) => args[args.indexOf(name) + 1];
  assert.equal(flag("--model"), "/m/x.gguf");
  assert.equal(flag("--host"), "127.0.0.1");
  assert.equal(flag("--ctx-size"), "4096", "each of the 4 slots holds the 1024-token context");
  assert.equal(flag("--parallel"), "4");
  assert.deepEqual([flag("--threads"), flag("--threads-batch")], ["2", "2"]);
  assert.deepEqual([flag("--batch-size"), flag("--ubatch-size")], ["256", "64"]);
  assert.equal(flag("--flash-attn"), "on");
  assert.deepEqual([flag("--cache-type-k"), flag("--cache-type-v")], ["q8_0", "q8_0"]);
  assert.equal(flag("--load-mode"), "none");
  assert.equal(flag("--cache-ram"), "0");
  assert.equal(flag("--fit"), "off");
  assert.ok(args.includes("--no-warmup") && args.includes("--no-kv-unified"));
});
