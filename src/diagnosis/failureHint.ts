import path from "node:path";

interface KnownCause {
  pattern: RegExp;
  hint: (match: RegExpExecArray, file: string | null) => string;
}

/**
 * Failures whose cause is known from llama.cpp's own message, each with what to do. Patterns are llama.cpp's
 * wording in the build node-llama-cpp 3.21.1 bundles (llama-model-loader.cpp, llama-arch.cpp, gguf.cpp,
 * ggml-backend.cpp); rebuilt in test/diagnosis from files the project's GGUF writer makes.
 */
const KNOWN_CAUSES: KnownCause[] = [
  {
    pattern: /illegal split file idx: (\d+)/,
    hint: (m, file) => {
      const first = file ? firstSplitPart(file) : null;
      const part = Number(m[1]) + 1;
      return `this is part ${part} of a split model: give its first part${first ? ` (${first})` : " (…-00001-of-…)"}, which loads the others`;
    },
  },
  {
    pattern: /check_tensor_dims: tensor '([^']{1,200})' has wrong shape/,
    hint: (m) =>
      `tensor '${m[1]}' does not have the shape the metadata implies: a head count, width or vocabulary size in the header disagrees with the weights (a bad conversion or an edited header); convert the model again`,
  },
  {
    pattern: /unknown model architecture: '([^']{0,200})'/,
    hint: (m) =>
      `this llama.cpp build does not know the architecture '${m[1]}': a newer node-llama-cpp may support it, or the file was made for another runtime`,
  },
  {
    pattern: /missing tensor '([^']{1,200})'/,
    hint: (m) =>
      `the file lacks tensor '${m[1]}' that its architecture needs: it is incomplete or was converted for another runtime`,
  },
  {
    pattern: /key not found in model: (\S{1,200})/,
    hint: (m) => `the header lacks the required key ${m[1]}: convert the model again with a current converter`,
  },
  {
    pattern: /wrong number of tensors; expected (\d+), got (\d+)/,
    hint: (m) => `llama.cpp expects ${m[1]} tensors for this architecture and found ${m[2]}: the file is incomplete`,
  },
  {
    pattern: /tensor '[^']{1,200}' of type (\d+)|invalid ggml type (\d+)|tensor type (\d+) is invalid/,
    hint: (m) =>
      `ggml type ${m[1] ?? m[2] ?? m[3]} is not one this llama.cpp can load: requantize the model to a type it knows (Q4_K_M, Q8_0, …) or use the runtime it was made for`,
  },
  {
    pattern: /failed to allocate (?:\S+ )?buffer|cannot allocate memory|failed to mmap/i,
    hint: () =>
      "llama.cpp could not get the memory it needed: close other programs, or try a smaller context, a smaller quantisation or --mmap on",
  },
];

/** What to do about a failure whose cause llama.cpp's message makes known, or null. `file`: the model file. */
export function failureHint(text: string, file: string | null = null): string | null {
  for (const cause of KNOWN_CAUSES) {
    const match = cause.pattern.exec(text);
    if (match) return cause.hint(match, file);
  }
  return null;
}

/** "model-00002-of-00003.gguf" → "model-00001-of-00003.gguf"; null for a name without the split pattern. */
function firstSplitPart(file: string): string | null {
  const name = path.basename(file);
  const first = name.replace(/-(\d{5})-of-(\d{5})\.gguf$/i, "-00001-of-$2.gguf");
  return first === name ? null : first;
}
