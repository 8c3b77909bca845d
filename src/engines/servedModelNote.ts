import type { OpenaiEndpoint } from "./openaiClient.ts";

/** Bounds on the endpoint's model list (untrusted): how many ids are read, how long one may be, how many are named. */
const MAX_MODELS = 1000;
const MAX_ID_CHARS = 256;
const NAMED_MODELS = 5;

/**
 * The run's note on which model the endpoint served, from its `GET /v1/models` (OpenAI's list: `data[].id`),
 * e.g. "openai engine at http://127.0.0.1:8080/v1: --served-model gpt-x is not among the models its /v1/models
 * lists ('stories260K.gguf'): a server that ignores the name (llama-server does) answered with its own model".
 * A name the list has, or no name (the server's default), is said too; a list that cannot be read is said, with
 * the reason. Never throws. Ids are bounded and quoted as they are (report writers escape them).
 */
export async function servedModelNote(endpoint: OpenaiEndpoint, signal?: AbortSignal): Promise<string> {
  const where = `openai engine at ${endpoint.baseUrl}`;
  const sent =
    endpoint.model === null ? "no --served-model (the server's default model)" : `--served-model ${endpoint.model}`;
  const ids = await modelIds(endpoint, signal);
  if (typeof ids === "string")
    return `${where}: ${sent}; its /v1/models could not be read (${ids}): the name was not checked`;
  const listed =
    ids
      .slice(0, NAMED_MODELS)
      .map((id) => `'${id}'`)
      .join(", ") + (ids.length > NAMED_MODELS ? ", …" : "");
  if (endpoint.model === null) return `${where}: ${sent}; its /v1/models lists ${listed || "no model"}`;
  if (ids.includes(endpoint.model)) return `${where}: ${sent}, listed by its /v1/models`;
  return `${where}: ${sent} is not among the models its /v1/models lists (${listed || "none"}): a server that ignores the name (llama-server does) answered with its own model`;
}

/** The ids of `GET <base>/models`, or why they could not be read. */
async function modelIds(endpoint: OpenaiEndpoint, signal?: AbortSignal): Promise<string[] | string> {
  try {
    const response = await fetch(`${endpoint.baseUrl}/models`, {
      headers: { connection: "close", ...(endpoint.apiKey ? { authorization: `Bearer ${endpoint.apiKey}` } : {}) },
      signal: signal ?? AbortSignal.timeout(endpoint.idleTimeoutMs),
    });
    if (!response.ok) {
      await response.body?.cancel();
      return `HTTP ${response.status}`;
    }
    const parsed = (await response.json().catch(() => null)) as { data?: unknown } | null;
    if (!Array.isArray(parsed?.data)) return "not an OpenAI model list";
    return parsed.data
      .slice(0, MAX_MODELS)
      .map((entry) => (entry as { id?: unknown } | null)?.id)
      .filter((id): id is string => typeof id === "string")
      .map((id) => id.slice(0, MAX_ID_CHARS));
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    return String(cause instanceof Error ? cause.message : error instanceof Error ? error.message : error).slice(
      0,
      200,
    );
  }
}
