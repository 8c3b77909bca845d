import { UsageError } from "../errors.ts";

/** Checkers for command-line values: each error names its flag and what it accepts. */

export function integer(flag: string, text: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = Number(text.trim());
  if (!/^\s*-?\d+\s*$/.test(text) || !Number.isSafeInteger(value) || value < min || value > max)
    throw new UsageError(
      `${flag} must be an integer from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : " up"}, got '${text}'`,
    );
  return value;
}

export function list<T>(flag: string, text: string, parse: (item: string) => T): T[] {
  const items = text.split(",").map((s) => s.trim());
  if (items.some((s) => s === ""))
    throw new UsageError(`${flag} takes a comma-separated list without empty items, got '${text}'`);
  return [...new Set(items.map(parse))];
}

export function choice<T extends string>(flag: string, item: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(item))
    throw new UsageError(`${flag} accepts ${allowed.join(", ")}; got '${item}'`);
  return item as T;
}
