import { access } from "node:fs/promises";
import { GgufError } from "./ggufError.ts";

const SPLIT_PATTERN = /^(.*)-(\d{5})-of-(\d{5})\.gguf$/;

/**
 * The parts of a model split by llama.cpp's gguf-split (`name-00001-of-00003.gguf`), first part first, given any
 * one of them; a lone file is its own single part. A missing part is an io error naming it.
 */
export async function splitParts(path: string): Promise<string[]> {
  const match = SPLIT_PATTERN.exec(path);
  if (!match) return [path];
  const [, stem, , totalText] = match as unknown as [string, string, string, string];
  const total = Number(totalText);
  if (total < 1) return [path];
  const parts: string[] = [];
  for (let i = 1; i <= total; i++) {
    const part = `${stem}-${String(i).padStart(5, "0")}-of-${totalText}.gguf`;
    try {
      await access(part);
    } catch {
      throw new GgufError("io", path, `split part ${i} of ${total} is missing (${part})`);
    }
    parts.push(part);
  }
  return parts;
}
