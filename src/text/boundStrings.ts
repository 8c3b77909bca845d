import { boundText, MAX_DISPLAY_CHARS } from "./printable.ts";

/**
 * A copy of plain data (a results file) with every string cut to `max` characters by boundText: each value read
 * from outside (metadata strings, server responses, file names, error messages, a whole imported file) is bounded
 * once, where it enters a report, so the sentences the report composes around them are never cut. Numbers,
 * booleans and null are kept; arrays and objects are copied.
 */
export function boundStrings<T>(value: T, max: number = MAX_DISPLAY_CHARS): T {
  if (typeof value === "string") return boundText(value, max) as T;
  if (Array.isArray(value)) return value.map((item) => boundStrings(item, max)) as T;
  if (value !== null && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, boundStrings(v, max)])) as T;
  return value;
}
