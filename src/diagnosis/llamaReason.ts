/** At most this many of llama.cpp's lines are kept per failure, each at most this long (log text is untrusted). */
const MAX_REASON_LINES = 4;
const MAX_LINE_CHARS = 300;

/**
 * Lines llama.cpp writes after every failure, whatever the cause: they say THAT it failed, never why, so they
 * are dropped when a more telling line exists.
 */
const GENERIC = [
  /^llama_model_load_from_file_impl: failed to load model$/,
  /^llama_model_load: error loading model: llama_model_loader: failed to load model from /,
  /^gguf_init_from_(?:reader|file_impl): failed to read tensor info$/,
  /^Failed to parse GGUF metadata buffer/,
];

/**
 * The lines of llama.cpp's log (or of a crashed child's stderr) that explain a failure, oldest first:
 * the `error loading model: …` line and its kin (check_tensor_dims, illegal split file idx, unknown model
 * architecture, gguf_init_from_reader, GGML_ASSERT). Generic "failed to load model" lines are dropped when a
 * telling line exists (kept otherwise, so something is always said); the `llama_model_load: error loading
 * model:` prefix is dropped, runs of spaces (llama.cpp pads shapes to 6 columns) folded, build-machine source
 * paths shortened to the file name, duplicates removed. Input: the error lines in the order logged.
 */
export function llamaReason(errorLines: readonly string[]): string[] {
  const cleaned = errorLines.map(cleanLine).filter((line) => line.length > 0);
  const telling = cleaned.filter((line) => !GENERIC.some((pattern) => pattern.test(line)));
  const chosen = telling.length > 0 ? telling : cleaned.slice(-1);
  const unique = [...new Set(chosen.map(stripLoadPrefix))];
  return unique.slice(0, MAX_REASON_LINES).map((line) => clip(line, MAX_LINE_CHARS));
}

function cleanLine(line: string): string {
  return (
    line
      .replace(/\s+/g, " ")
      // "/home/runner/work/…/llama.cpp/src/llama-model-loader.cpp:1321: GGML_ASSERT(…)" → "llama-model-loader.cpp:1321: …"
      .replace(/(?:\/[\w.+-]+)+\/([\w.+-]+\.(?:c|cpp|h|cu|m):\d+)/g, "$1")
      .trim()
  );
}

function stripLoadPrefix(line: string): string {
  return line.replace(/^llama_model_load: error loading model: /, "");
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
