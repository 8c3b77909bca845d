import { accessSync, constants, statSync } from "node:fs";
import path from "node:path";
import { UsageError } from "../errors.ts";
import type { EngineName, ServingConfig } from "../results/types.ts";
import { printable } from "../text/printable.ts";
import { RUN_DEFAULTS } from "./defaults.ts";
import { integer, list } from "./optionParsers.ts";

/** `run`'s options for the serving engines and the concurrency stage, as commander hands them over. */
export interface RawServingOptions {
  endpoint?: string;
  servedModel?: string;
  apiKeyEnv?: string;
  llamaServer?: string;
  concurrency?: string;
  requests?: string;
  requestTimeout?: string;
}

/** Bound on names we send to a server and print in reports. */
const MAX_NAME_CHARS = 256;

/**
 * Checks the serving options against the engines asked for (each error names its flag) and notes what the reader
 * must know: an endpoint's settings are its own, and how its prompt cache is kept out of the figures.
 */
export function parseServingOptions(raw: RawServingOptions, engines: EngineName[], notes: string[]): ServingConfig {
  const openai = engines.includes("openai");
  if (openai && raw.endpoint === undefined)
    throw new UsageError("--engine openai needs --endpoint URL (e.g. http://127.0.0.1:8080/v1)");
  for (const [flag, value] of [
    ["--endpoint", raw.endpoint],
    ["--served-model", raw.servedModel],
    ["--api-key-env", raw.apiKeyEnv],
  ] as const)
    if (value !== undefined && !openai) throw new UsageError(`${flag} is an option of --engine openai`);
  if (raw.llamaServer !== undefined && !engines.includes("llama-server"))
    throw new UsageError("--llama-server is an option of --engine llama-server");
  const llamaServerPath = raw.llamaServer === undefined ? null : executableFile(raw.llamaServer);

  const endpoint = raw.endpoint === undefined ? null : endpointUrl(raw.endpoint, notes);
  const servedModel = raw.servedModel === undefined ? null : boundedName("--served-model", raw.servedModel);
  let apiKeyEnv: string | null = null;
  if (raw.apiKeyEnv !== undefined) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(raw.apiKeyEnv))
      throw new UsageError(`--api-key-env takes the name of an environment variable, got '${raw.apiKeyEnv}'`);
    if (!process.env[raw.apiKeyEnv]) throw new UsageError(`--api-key-env: ${raw.apiKeyEnv} is not set`);
    apiKeyEnv = raw.apiKeyEnv;
  }
  const concurrency =
    raw.concurrency === undefined
      ? []
      : list("--concurrency", raw.concurrency, (s) => integer("--concurrency", s, 1, 256)).sort((a, b) => a - b);
  if (raw.requests !== undefined && concurrency.length === 0)
    throw new UsageError("--requests sets the requests per --concurrency level: give --concurrency too");
  const requestsPerLevel =
    raw.requests === undefined ? RUN_DEFAULTS.requestsPerLevel : integer("--requests", raw.requests, 1, 100_000);
  const timeoutSeconds =
    raw.requestTimeout === undefined
      ? RUN_DEFAULTS.requestTimeoutSeconds
      : integer("--request-timeout", raw.requestTimeout, 1, 86_400);
  if (openai)
    notes.push(
      "openai engine: the endpoint's own settings apply (threads, batch, context, KV cache as that server was started; the settings columns are what was asked, not applied); every request starts with a unique marker [<8 random hex digits>-<request number>] (text prompts: in front of the text; the context sizes' token prompts: its tokens from the server's /tokenize right after BOS, the prompt still exactly the size) and is sent with cache_prompt false (llama-server's prompt cache off; other servers ignore it), so no prompt cache can answer it: a cache that cannot be switched off can reuse at most the few leading tokens all prompts share (BOS, the bracket), and the prompt token counts are the server's usage; the server's process memory and load time cannot be measured from here",
    );
  return {
    llamaServerPath,
    endpoint,
    servedModel,
    apiKeyEnv,
    requestTimeoutMs: timeoutSeconds * 1000,
    concurrency,
    requestsPerLevel: concurrency.length === 0 ? 0 : requestsPerLevel,
  };
}

/** An http(s) base URL without a trailing slash; a bare host gets the conventional `/v1` (noted). */
function endpointUrl(text: string, notes: string[]): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--endpoint must be an http(s) URL, got '${text}'`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new UsageError(`--endpoint must be an http(s) URL, got '${text}'`);
  if (url.username || url.password)
    throw new UsageError("--endpoint must not carry credentials: put the key in a variable named by --api-key-env");
  url.search = "";
  url.hash = "";
  let base = url.toString().replace(/\/+$/, "");
  if (url.pathname === "/" || url.pathname === "") {
    base = `${base}/v1`;
    notes.push(`--endpoint ${text}: the OpenAI API is taken to be at ${base}`);
  }
  return base;
}

/** --llama-server PATH, absolute; a path that is not an executable file is a usage error naming it. */
function executableFile(given: string): string {
  const file = path.resolve(given);
  let isFile = false;
  try {
    isFile = statSync(file).isFile();
    accessSync(file, constants.X_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "does not exist" : isFile ? "is not executable" : `cannot be read (${code})`;
    throw new UsageError(`--llama-server ${printable(given)} ${why}; give the llama-server binary`);
  }
  if (!isFile) throw new UsageError(`--llama-server ${printable(given)} is not a file; give the llama-server binary`);
  return file;
}

function boundedName(flag: string, text: string): string {
  if (text.length === 0 || text.length > MAX_NAME_CHARS || [...text].some((c) => c.charCodeAt(0) < 32))
    throw new UsageError(`${flag} takes a name of 1 to ${MAX_NAME_CHARS} printable characters`);
  return text;
}
